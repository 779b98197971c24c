/** How the compiler finds and reads the modules a workflow file imports (nodeResolver() is the file-system one). */
export interface ModuleResolver {
  /** Absolute project root. */
  root: string;
  /** Absolute path of a project file, or null (packages, missing files). */
  resolve(specifier: string, fromFile: string): string | null;
  /** File text, or null. */
  read(file: string): string | null;
}
