export * from './enums';
export * from './users';
export * from './orders';
export * from './refunds';
export * from './system';
export * from './security';
export * from './rollups';
