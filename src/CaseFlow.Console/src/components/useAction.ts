import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ProblemError } from '../api/client'

/**
 * Runs a user's command: while it runs `busy`; a refusal's Chinese detail lands in `problem` (shown by
 * ProblemAlert until the next action) and as a message; success shows `done`.
 */
export function useAction() {
  const busy = ref(false)
  const problem = ref<string | null>(null)
  async function run<T>(work: () => Promise<T>, done?: string): Promise<T | undefined> {
    busy.value = true
    problem.value = null
    try {
      const result = await work()
      if (done) ElMessage.success(done)
      return result
    } catch (e) {
      problem.value = e instanceof ProblemError ? e.message : `操作未成功：${(e as Error).message}`
      ElMessage.error({ message: problem.value, duration: 5000 })
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { busy, problem, run }
}
