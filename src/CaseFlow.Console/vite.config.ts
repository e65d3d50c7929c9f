import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

// The build goes into the host's git-ignored static folder (src/CaseFlow.Api/console), which the host serves at
// "/" with an SPA fallback. `npm run dev` proxies the API to a host started with `dotnet run` (port 5080).
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../CaseFlow.Api/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:5080', '/dev': 'http://localhost:5080', '/health': 'http://localhost:5080' },
  },
})
