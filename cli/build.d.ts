import type { Metafile } from 'esbuild';

export declare const CLI_BUNDLE: string;
export declare function buildCli(options?: { outfile?: string }): Promise<Metafile>;
