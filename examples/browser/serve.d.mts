// Types of serve.mjs, for the TypeScript tests that start it.
export interface Served {
  url: string;
  close(): Promise<void>;
}
export function serve(options?: { root?: string; isolated?: boolean; port?: number }): Promise<Served>;
