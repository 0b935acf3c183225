export declare const schemasDir: string;
export declare const bindingsDir: string;
export declare const BANNER: string;
export declare function pascalCase(stem: string): string;
export declare function generateBindings(): Promise<Map<string, string>>;
