/** StackProtection: the stack policy kept on the stateful resources of a stack. Other features import this folder only through this file. */
export * from './stack-protection';
