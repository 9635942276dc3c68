// The library: one function per pipeline step over a Context (configuration + stores).
//
//   const ctx = openContext({ home: './.contact-import' });
//   const { fileId } = await upload(ctx, { path: 'contacts.csv' });
//   await analyze(ctx, fileId);
//   await saveMapping(ctx, fileId, { 'Email Address': 'email', 'First Name': 'firstName' });
//   const result = await importContacts(ctx, fileId, { database: 'sqlite:contacts.db' });
//   await ctx.close();

export { resolveConfig, resolveServerConfig, type Config, type ConfigOptions, type ServerConfig, type ServerConfigOptions } from './config.js';
export { ImportError, isImportError, type ErrorCode } from './errors.js';
export { openContext, type Context, type ContextOptions } from './pipeline/context.js';
export { upload, type UploadSource, type UploadOptions } from './pipeline/upload.js';
export { analyze, type AnalyzeOptions } from './pipeline/analyze.js';
export { status, summaryOf } from './pipeline/status.js';
export { resolveMapping, saveMapping, hasMappingChoice, type MappingChoice } from './pipeline/map.js';
export { loadTemplate, saveTemplate, listTemplates, deleteTemplate, type MappingTemplate } from './pipeline/templates.js';
export { preview, type PreviewOptions, type PreviewOutcome } from './pipeline/preview.js';
export { importContacts, type ImportOptions, type MaxInvalid } from './pipeline/import.js';
export { history, findImport, undoImport, type HistoryOptions, type UndoImportOptions, type DatabaseChoice } from './pipeline/history.js';
export { run, type RunOptions, type RunResult } from './pipeline/run.js';
export { presign, type PresignRequest } from './pipeline/presign.js';
export { reserveUpload, type ReservedUpload } from './pipeline/reserve-upload.js';
export { receiveUpload, type ReceiveUploadOptions } from './pipeline/receive-upload.js';
export { queueAnalysis, abandonAnalysis } from './pipeline/queue-analysis.js';
export { rejectedReport } from './pipeline/rejected-report.js';
export { cleanupUpload, cleanupOlderThan, type CleanupOptions, type CleanupResult } from './pipeline/cleanup.js';
export { requireAnalysis, requireUpload } from './pipeline/session.js';
export { suggestMapping } from './contacts/suggest-mapping.js';
export { validateContact } from './contacts/validate-contact.js';
export { readRecords } from './records/read-records.js';
export type { FileStore, StoredFile } from './files/file-store.js';
export { S3FileStore } from './files/s3-file-store.js';
export type { StateStore } from './state/state-store.js';
export type { ContactStore, ImportRun, ImportStatus, UndoResult } from './db/contact-store.js';
export { openContactStore, type DatabaseSource } from './db/open-contact-store.js';
export type { Engine, EngineFactory } from './db/engine.js';
export * from './types.js';
