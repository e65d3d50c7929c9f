import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { onUnauthorised } from './api/client'
import { useSession } from './stores/session'
import './style.css'

// First screen timing for the browser test (issue 18, done-means 5): when the app has mounted and is interactive.
const app = createApp(App)
app.use(createPinia())
app.use(router)
app.use(ElementPlus, { locale: zhCn })
onUnauthorised(() => {
  useSession().signOut()
  router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } })
})
router.isReady().then(() => {
  app.mount('#app')
  performance.mark('caseflow-interactive')
})
