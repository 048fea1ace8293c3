/** SecureTable and its capacity, alarms, backup and item-level statements. Other features import this folder only through this file. */
export * from './table-capacity';
export * from './secure-table';
export * from './secure-table-props';
export * from './table-validation';
export * from './secure-table-grants';
