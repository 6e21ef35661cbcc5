export { actorContext, appendAudit, recordAudit, SYSTEM_CONTEXT, type AuditContext, type AuditEntry } from './append';
export { verifyAuditChain, verifySinceCheckpoint, type ChainBreak, type ChainBreakReason, type VerifyResult } from './verify';
export { checkpointDir, readCheckpoints, writeCheckpoint, type ChainCheckpoint } from './checkpoints';
export { verifyAuditTrail, writeAuditCheckpoint, type TrailFinding, type TrailReport } from './trail';
