import { computed, ref } from 'vue'

/** The one list convention {items, nextCursor, total, limit}: a stack of cursors to page back and forth. */
export function useCursor() {
  const stack = ref<(string | undefined)[]>([undefined])
  const cursor = computed(() => stack.value[stack.value.length - 1])
  const page = computed(() => stack.value.length)
  return {
    cursor, page,
    hasPrevious: computed(() => stack.value.length > 1),
    next(nextCursor?: string | null) { if (nextCursor) stack.value = [...stack.value, nextCursor] },
    previous() { if (stack.value.length > 1) stack.value = stack.value.slice(0, -1) },
    reset() { stack.value = [undefined] },
  }
}
