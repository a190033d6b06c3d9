// The opt-in bridge to Stately's hosted inspector (issue 8): `tipflow play --inspect stately` and
// `tipflow serve --inspect stately`. It needs the internet and sends every event and snapshot of the
// sessions (synthetic metadata only) to Stately's servers, so it is off by default, loaded only when asked
// for, and never used by tests. Offline, use tipflow's own inspector at /inspect.
import type { EngineOptions } from '../engine/index.js';

export const INSPECT_TOOLS = ['stately'] as const;
export type InspectTool = (typeof INSPECT_TOOLS)[number];

export interface InspectBridge {
  inspect: NonNullable<EngineOptions['inspect']>;
  stop(): void;
}

export async function inspectBridge(tool: InspectTool, say: (line: string) => void): Promise<InspectBridge> {
  if (tool !== 'stately') throw new Error(`unknown inspector ${String(tool)}`);
  say('Connecting to Stately Inspector (stately.ai, needs the internet); it prints a link to the live inspection when connected.');
  say('Every event and snapshot of these sessions is sent to Stately: synthetic metadata only, but say so to your class.');
  const { createSkyInspector } = await import('@statelyai/inspect');
  const inspector = createSkyInspector({ onerror: (error: Error) => say(`Stately Inspector: ${error.message || 'connection failed'} (tipflow goes on without it)`) });
  return { inspect: inspector.inspect, stop: () => inspector.stop() };
}
