export declare const ROOT: string;
export declare function clientBuildState(): 'missing-entry' | 'up-to-date' | 'stale' | 'missing';
export declare function buildClientIfNeeded(opts?: { log?: (msg: string) => void }): Promise<'built' | 'up-to-date' | 'no-client' | 'skipped'>;
