// Dates and times as Beijing time (Asia/Shanghai), whatever the browser's own zone.
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
})

export function beijing(instant?: string | null): string {
  if (!instant) return '—'
  return dateTime.format(new Date(instant)).replace(/\//g, '-')
}

/** A calendar date (yyyy-MM-dd, already a Beijing day in the API) with its weekday. */
export function day(date?: string | null): string {
  if (!date) return '—'
  const [y, m, d] = date.split('-').map(Number)
  const weekday = '日一二三四五六'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]
  return `${date}（周${weekday}）`
}

export const caseStatusNames: Record<string, string> = {
  Received: '已收件', AwaitingCorrections: '待补正', Accepted: '已受理', AcceptedWithDeficiency: '容缺受理（待补齐）',
  Completed: '已办结（即办）', Rejected: '不予受理', Terminated: '已终止', Decided: '已办结', ResultReady: '待取件', Closed: '已出件',
}

export const levelNames: Record<string, string> = { Green: '绿灯', Yellow: '黄灯', Red: '红灯' }
/** The inbox's warning: None until the published rules raise a light. */
export const warningNames: Record<string, string> = { None: '正常', Green: '正常', Yellow: '黄灯', Red: '红灯' }
export const levelTypes: Record<string, 'success' | 'warning' | 'danger'> = { None: 'success', Green: 'success', Yellow: 'warning', Red: 'danger' }

export const scopeNames: Record<string, string> = {
  Case: '承诺办结', Step: '审批环节', Pickup: '出件', NoticePeriod: '窗口受理期', AgentForwarding: '代办转交',
  ReturnVisit: '差评回访', Rectification: '差评整改', SupervisionOrder: '督办',
}

export const materialStateNames: Record<string, string> = { Present: '已提交', Missing: '缺少', NonConforming: '不符合要求', Committed: '告知承诺' }

/** GB 11643 resident identity number: 18 characters, the last a check digit (0–9 or X). */
export function residentIdProblem(value: string): string | null {
  if (!value) return '请输入身份证号码'
  if (!/^\d{17}[\dXx]$/.test(value)) return '身份证号码应为 18 位，最后一位为数字或 X'
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((s, w, i) => s + w * Number(value[i]), 0)
  const check = '10X98765432'[sum % 11]
  return value[17].toUpperCase() === check ? null : '身份证号码校验位不正确'
}
