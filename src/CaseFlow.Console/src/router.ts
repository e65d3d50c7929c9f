import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'
import { homeOf, type Role } from './roles'

const clerk: Role[] = ['Clerk']
const back: Role[] = ['Approver', 'DepartmentHead']
const supervisor: Role[] = ['Supervisor']
const admin: Role[] = ['Admin']

// Each screen is its own chunk: the first screen loads only the sign-in page.
const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true } },
  // The hall's display screen of a window (去向留言): no sign-in, no menu (GET /api/public/windows/{windowId}/status).
  { path: '/screen/windows/:windowId', component: () => import('./views/public/WindowScreen.vue'), meta: { public: true, bare: true } },
  { path: '/forbidden', component: () => import('./views/Forbidden.vue') },
  { path: '/', component: () => import('./views/Home.vue') },
  { path: '/window/cases', component: () => import('./views/clerk/Worklist.vue'), meta: { roles: [...clerk, 'Agent'] } },
  { path: '/window/receive', component: () => import('./views/clerk/Receive.vue'), meta: { roles: clerk } },
  { path: '/window/cases/:id', component: () => import('./views/clerk/CaseDetail.vue'), meta: { roles: [...clerk, 'Agent'] } },
  { path: '/window/inquiries', component: () => import('./views/clerk/Inquiries.vue'), meta: { roles: clerk } },
  { path: '/window/online-submissions', component: () => import('./views/clerk/OnlineQueue.vue'), meta: { roles: clerk } },
  { path: '/window/whereabouts', component: () => import('./views/clerk/Whereabouts.vue'), meta: { roles: clerk } },
  { path: '/window/appointments', component: () => import('./views/clerk/Appointments.vue'), meta: { roles: clerk } },
  { path: '/agent/submissions', component: () => import('./views/clerk/Worklist.vue'), meta: { roles: ['Agent'] } },
  { path: '/agent/submit', component: () => import('./views/clerk/Receive.vue'), meta: { roles: ['Agent'] } },
  { path: '/backoffice/inbox', component: () => import('./views/approver/Inbox.vue'), meta: { roles: back } },
  { path: '/backoffice/cases/:id', component: () => import('./views/approver/BackOfficeCase.vue'), meta: { roles: back } },
  { path: '/backoffice/absence', component: () => import('./views/approver/Absence.vue'), meta: { roles: back } },
  { path: '/supervision/board', component: () => import('./views/supervisor/Board.vue'), meta: { roles: supervisor } },
  { path: '/supervision/overdue', component: () => import('./views/supervisor/Overdue.vue'), meta: { roles: supervisor } },
  { path: '/supervision/cases/:id', component: () => import('./views/supervisor/Timeline.vue'), meta: { roles: supervisor } },
  { path: '/supervision/ledger', component: () => import('./views/supervisor/Ledger.vue'), meta: { roles: supervisor } },
  { path: '/supervision/complaints', component: () => import('./views/supervisor/Complaints.vue'), meta: { roles: supervisor } },
  { path: '/supervision/reports', component: () => import('./views/supervisor/Reports.vue'), meta: { roles: supervisor } },
  { path: '/admin/calendar', component: () => import('./views/admin/Calendar.vue'), meta: { roles: admin } },
  { path: '/admin/warning-rules', component: () => import('./views/admin/WarningRules.vue'), meta: { roles: admin } },
  { path: '/admin/catalogue', component: () => import('./views/admin/Catalogue.vue'), meta: { roles: admin } },
  { path: '/admin/organisation', component: () => import('./views/admin/Organisation.vue'), meta: { roles: admin } },
  { path: '/admin/projections', component: () => import('./views/admin/Projections.vue'), meta: { roles: admin } },
  { path: '/:rest(.*)*', component: () => import('./views/NotFound.vue') },
]

export const router = createRouter({ history: createWebHistory(), routes })

// A direct URL to another role's page shows a refusal, never its data: the page is not even loaded.
router.beforeEach((to) => {
  const session = useSession()
  if (to.meta.public) return true
  if (!session.who) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.path === '/') return homeOf(session.who.role)
  const roles = to.meta.roles as Role[] | undefined
  if (roles && !roles.includes(session.who.role as Role)) return { path: '/forbidden', query: { from: to.fullPath } }
  return true
})
