/**
 * Whether one local stage worker is really consuming, as `/readyz` reports it. The service watches its
 * workers (src/service/worker-health.ts); the HTTP route only shows the result.
 */
export interface WorkerStatus {
  stage: string;
  ok: boolean;
  reason?: string;
}
