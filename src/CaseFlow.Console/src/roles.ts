// Who sees which menu (README "Security"): the menu shows only what the role may do; the router refuses the rest.
export type Role = 'Clerk' | 'Agent' | 'Approver' | 'DepartmentHead' | 'Supervisor' | 'Admin'

export const roleNames: Record<string, string> = {
  Clerk: '综合窗口受理人员',
  Agent: '代办员',
  Approver: '部门审批人员',
  DepartmentHead: '部门负责人',
  Supervisor: '电子监察人员',
  Admin: '系统管理员',
}

export interface MenuEntry { path: string; title: string; roles: Role[] }
export interface MenuGroup { title: string; roles: Role[]; entries: MenuEntry[] }

export const menu: MenuGroup[] = [
  {
    title: '综合窗口', roles: ['Clerk'], entries: [
      { path: '/window/cases', title: '办件工作台', roles: ['Clerk'] },
      { path: '/window/receive', title: '收件', roles: ['Clerk'] },
      { path: '/window/inquiries', title: '首问登记', roles: ['Clerk'] },
      { path: '/window/online-submissions', title: '网上办预审', roles: ['Clerk'] },
      { path: '/window/whereabouts', title: '去向留言', roles: ['Clerk'] },
      { path: '/window/appointments', title: '预约', roles: ['Clerk'] },
    ],
  },
  {
    title: '帮代办', roles: ['Agent'], entries: [
      { path: '/agent/submissions', title: '我的代办件', roles: ['Agent'] },
      { path: '/agent/submit', title: '代办提交', roles: ['Agent'] },
    ],
  },
  {
    title: '部门审批', roles: ['Approver', 'DepartmentHead'], entries: [
      { path: '/backoffice/inbox', title: '待办箱', roles: ['Approver', 'DepartmentHead'] },
      { path: '/backoffice/absence', title: 'AB岗 外出登记', roles: ['Approver', 'DepartmentHead'] },
    ],
  },
  {
    title: '电子监察', roles: ['Supervisor'], entries: [
      { path: '/supervision/board', title: '时限预警看板', roles: ['Supervisor'] },
      { path: '/supervision/overdue', title: '超期审计', roles: ['Supervisor'] },
      { path: '/supervision/ledger', title: '问责台账', roles: ['Supervisor'] },
      { path: '/supervision/reports', title: '服务报表', roles: ['Supervisor'] },
      { path: '/supervision/complaints', title: '投诉举报', roles: ['Supervisor'] },
    ],
  },
  {
    title: '管理', roles: ['Admin'], entries: [
      { path: '/admin/calendar', title: '工作日历', roles: ['Admin'] },
      { path: '/admin/warning-rules', title: '预警规则', roles: ['Admin'] },
      { path: '/admin/catalogue', title: '事项目录', roles: ['Admin'] },
      { path: '/admin/organisation', title: '组织机构', roles: ['Admin'] },
      { path: '/admin/projections', title: '投影状态', roles: ['Admin'] },
    ],
  },
]

/** The first screen of a role after signing in. */
export function homeOf(role: string): string {
  const group = menu.find((g) => g.roles.includes(role as Role))
  return group?.entries[0]?.path ?? '/'
}
