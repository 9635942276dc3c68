/** The package version, shown by --version and in /openapi.json. */
export const VERSION = '0.1.0';
