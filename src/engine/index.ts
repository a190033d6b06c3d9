export { Engine, RoutingSession, ReplayError, SESSION_FORMAT, type EngineOptions, type SessionRecord, type SendResult, type StartOptions, type Refusal, type ReplayOptions } from './engine.js';
export { runAutoDriver, decisionPointOf } from './auto-driver.js';
export { routeResultOf, type RouteResult } from './route-result.js';
export { statePaths, routingPath, phaseOf, PHASES, type AuditRecord, type ActorRole, type Phase } from './audit.js';
export { timelineOf, activeStatePaths, inspectedContext, exampleEvents, type TimelineStep, type InspectedContext } from './timeline.js';
