// Vite's client types (import.meta.glob, new URL(..., import.meta.url) workers) for the browser app.
/// <reference types="vite/client" />
