export declare const uiDir: string;
export declare const schemasDir: string;
export declare const outDir: string;
export declare const outJs: string;
export declare const outDts: string;
export declare const SOURCES: Record<'dataProduct' | 'provisioningRequest', string>;
export declare function generateValidators(): Promise<{ js: string; dts: string }>;
