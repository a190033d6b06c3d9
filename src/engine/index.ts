export { Engine, RoutingSession, ReplayError, SESSION_FORMAT, READABLE_SESSION_FORMATS, type SessionVersions, type EngineOptions, type SessionRecord, type SendResult, type StartOptions, type Refusal, type RefusalKind, type ReplayOptions } from './engine.js';
export { runAutoDriver, decisionPointOf } from './auto-driver.js';
export { routeResultOf, type RouteResult } from './route-result.js';
export { statePaths, routingPath, phaseOf, PHASES, NOTE_EVENT_TYPES, isNoteRecord, isMachineRecord, type AuditRecord, type ActorRole, type Phase, type NoteEvent, type NoteEventType } from './audit.js';
export { timelineOf, activeStatePaths, inspectedContext, exampleEvents, type TimelineStep, type InspectedContext } from './timeline.js';
