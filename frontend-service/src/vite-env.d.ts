/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_API_GATEWAY_URL?: string
  readonly VITE_USER_API_URL?: string
  readonly VITE_EVENT_API_URL?: string
  readonly VITE_BOOKING_API_URL?: string
  readonly VITE_NOTIFICATION_API_URL?: string
  readonly VITE_MAX_TICKETS_PER_BOOKING?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
