import type { Block, Handler, Instr, Program, Term } from "../../ir-schema/index.ts";

/** A block under construction: its terminator is set once, when control leaves it. */
export interface DraftBlock {
  id: number;
  handler: Handler | null;
  instrs: Instr[];
  term: Term | null;
}

/**
 * Builds the flat control-flow graph. New blocks take the innermost enclosing
 * `catch` as their handler, so handlers are static per block and leaving a `try`
 * by any jump needs no runtime bookkeeping.
 */
export class CfgBuilder {
  private readonly blocks: DraftBlock[] = [];
  private readonly handlers: Handler[] = [];
  current: DraftBlock;

  constructor() {
    this.current = this.newBlock();
  }

  newBlock(): DraftBlock {
    const block: DraftBlock = { id: this.blocks.length, handler: this.handlers.at(-1) ?? null, instrs: [], term: null };
    this.blocks.push(block);
    return block;
  }

  switchTo(block: DraftBlock): void {
    this.current = block;
  }

  /** Code after a `return`/`break` lands in a fresh block nothing jumps to; finish() drops it. */
  emit(instr: Instr): void {
    if (this.current.term) this.current = this.newBlock();
    this.current.instrs.push(instr);
  }

  /** Ends the current block; a no-op when it already ended (unreachable code). */
  terminate(term: Term): void {
    if (!this.current.term) this.current.term = term;
  }

  get terminated(): boolean {
    return this.current.term !== null;
  }

  pushHandler(handler: Handler): void {
    this.handlers.push(handler);
  }

  popHandler(): void {
    this.handlers.pop();
  }

  /**
   * Closes open blocks with `fallthrough` (falling off the end of the body),
   * threads jumps through empty blocks, drops blocks unreachable from the entry,
   * and renumbers the rest densely in creation order (deterministic numbering).
   */
  finish(fallthrough: () => Term): Program {
    for (const b of this.blocks) if (!b.term) b.term = fallthrough();
    this.threadJumps();
    const reachable = new Set<number>();
    const work = [0];
    while (work.length) {
      const id = work.pop() as number;
      if (reachable.has(id)) continue;
      reachable.add(id);
      const b = this.blocks[id];
      if (b.handler) work.push(b.handler.block);
      const term = b.term as Term;
      if (term.kind === "jump") work.push(term.to);
      if (term.kind === "branch") work.push(term.then, term.else);
    }
    const renumber = new Map<number, number>();
    for (const b of this.blocks) if (reachable.has(b.id)) renumber.set(b.id, renumber.size);
    const at = (id: number) => renumber.get(id) as number;
    const blocks: Block[] = this.blocks
      .filter((b) => reachable.has(b.id))
      .map((b) => {
        const term = b.term as Term;
        return {
          handler: b.handler ? { bind: b.handler.bind, block: at(b.handler.block) } : null,
          id: at(b.id),
          instrs: b.instrs,
          term:
            term.kind === "jump" ? { ...term, to: at(term.to) }
            : term.kind === "branch" ? { ...term, then: at(term.then), else: at(term.else) }
            : term,
        };
      });
    return { blocks, entry: 0 };
  }

  /** A jump to a block that only jumps on goes straight to the final target. */
  private threadJumps(): void {
    const final = (id: number): number => {
      const seen = new Set<number>();
      let cur = id;
      for (;;) {
        const b = this.blocks[cur];
        if (b.instrs.length > 0 || b.term?.kind !== "jump" || seen.has(cur)) return cur;
        seen.add(cur);
        cur = b.term.to;
      }
    };
    for (const b of this.blocks) {
      const term = b.term as Term;
      if (term.kind === "jump") b.term = { ...term, to: final(term.to) };
      if (term.kind === "branch") b.term = { ...term, then: final(term.then), else: final(term.else) };
    }
  }
}
