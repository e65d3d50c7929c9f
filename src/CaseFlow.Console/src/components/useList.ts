import { computed, ref, shallowRef } from 'vue'

/**
 * One way to show a list: the list convention's page {items, nextCursor, total, limit} (paged by the host with
 * limit/cursor — issue 16, Infrastructure/Paging.cs), or a whole list answered at once (an array), paged here.
 */
export type Row<A> = A extends (infer R)[] ? R : A extends { items: (infer R)[] } ? R : A extends { rows: (infer R)[] } ? R : never

export function rowsOf<A>(answer: A): Row<A>[] {
  const a = answer as unknown as { items?: unknown[]; rows?: unknown[] } | unknown[]
  return (Array.isArray(a) ? a : (a.items ?? a.rows ?? [])) as Row<A>[]
}

export interface Paging { limit: number; cursor?: string; page: number; pageSize: number }

export function useList<A>(fetch: (paging: Paging) => Promise<A | undefined>, pageSize = 20) {
  const answer = shallowRef<A | null>(null)
  const all = shallowRef<Row<A>[]>([])
  const cursors = ref<(string | undefined)[]>([undefined])
  const page = ref(1)
  const serverPaged = ref(false)
  const nextCursor = ref<string | null>(null)
  const total = ref<number | null>(null)

  async function load() {
    const got = await fetch({ limit: pageSize, cursor: cursors.value[cursors.value.length - 1], page: page.value, pageSize })
    if (got === undefined) return
    answer.value = got
    all.value = rowsOf(got)
    const meta = got as unknown as { nextCursor?: string | null; total?: number | null; limit?: number; page?: number }
    serverPaged.value = !Array.isArray(got) && (meta.limit !== undefined || meta.page !== undefined)
    nextCursor.value = meta.nextCursor ?? null
    total.value = meta.total ?? (serverPaged.value ? null : all.value.length)
  }
  const rows = computed(() => (serverPaged.value ? all.value : all.value.slice((page.value - 1) * pageSize, page.value * pageSize)))
  const hasNext = computed(() => (serverPaged.value ? !!nextCursor.value || ((answer.value as { page?: number } | null)?.page !== undefined && all.value.length === pageSize) : page.value * pageSize < all.value.length))
  const hasPrevious = computed(() => page.value > 1)

  return {
    answer, rows, total, page, hasNext, hasPrevious, load,
    async reload() { cursors.value = [undefined]; page.value = 1; await load() },
    async next() {
      if (!hasNext.value) return
      if (serverPaged.value && nextCursor.value) cursors.value = [...cursors.value, nextCursor.value]
      page.value += 1
      if (serverPaged.value) await load()
    },
    async previous() {
      if (page.value <= 1) return
      if (serverPaged.value && cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1)
      page.value -= 1
      if (serverPaged.value) await load()
    },
  }
}

/** The list's own query with the list convention's paging parameters (limit, cursor) added. */
export function paged<Q extends object>(query: Q, p: Paging): Q {
  return { ...query, limit: p.limit, cursor: p.cursor } as Q
}
