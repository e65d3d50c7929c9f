import { defineStore } from 'pinia'
import { setToken } from '../api/client'

/** Who is signed in, read from the bearer token's claims (name, role, unit), kept for this browser tab. */
export interface Who { id: string; name: string; role: string; unitName: string; unitId: string; centreId?: string; departmentId?: string; regionId?: string }

function decode(token: string): Who | null {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')), (c) => c.charCodeAt(0))
    const claims = JSON.parse(new TextDecoder().decode(bytes))
    if (!claims.sub || !claims.role) return null
    return {
      id: claims.sub, name: claims.name ?? claims.sub, role: claims.role, unitName: claims.unit_name ?? '', unitId: claims.unit_id ?? '',
      centreId: claims.centre_id, departmentId: claims.department_id, regionId: claims.region_id,
    }
  } catch {
    return null
  }
}

const key = 'caseflow.token'

export const useSession = defineStore('session', {
  state: () => {
    const token = sessionStorage.getItem(key)
    const who = token ? decode(token) : null
    setToken(who ? token : null)
    return { token: who ? token : null, who }
  },
  actions: {
    signIn(token: string): boolean {
      const who = decode(token)
      if (!who) return false
      this.token = token
      this.who = who
      sessionStorage.setItem(key, token)
      setToken(token)
      return true
    },
    signOut() {
      this.token = null
      this.who = null
      sessionStorage.removeItem(key)
      setToken(null)
    },
  },
})
