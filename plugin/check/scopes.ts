export type BindingKind = "let" | "const" | "param" | "catch" | "callback";

export interface LocalBinding {
  name: string;
  /** Unique per binding within the workflow: `x`, then `x$1` for a shadowing `x`. */
  irName: string;
  kind: BindingKind;
}

/** Lexical scopes of the workflow body, renaming shadowed bindings to unique IR names. */
export class Scopes {
  private readonly stack: Array<Map<string, LocalBinding>> = [new Map()];
  private readonly used = new Set<string>();

  /** Opens a scope; passing a frame returned by pop() re-opens that scope (a catch clause's binding). */
  push(frame: Map<string, LocalBinding> = new Map()): void {
    this.stack.push(frame);
  }

  pop(): Map<string, LocalBinding> {
    return this.stack.pop() as Map<string, LocalBinding>;
  }

  /** Declares `name` in the innermost scope; declaring it again there returns the same binding. */
  declare(name: string, kind: BindingKind): LocalBinding {
    const inner = this.stack[this.stack.length - 1];
    const existing = inner.get(name);
    if (existing) return existing;
    let irName = name;
    for (let n = 1; this.used.has(irName); n++) irName = `${name}$${n}`;
    this.used.add(irName);
    const binding = { name, irName, kind };
    inner.set(name, binding);
    return binding;
  }

  lookup(name: string): LocalBinding | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i].get(name);
      if (b) return b;
    }
    return null;
  }
}
