export { actorContext, appendAudit, recordAudit, SYSTEM_CONTEXT, type AuditContext, type AuditEntry } from './append';
export { verifyAuditChain, type ChainBreak, type VerifyResult } from './verify';
