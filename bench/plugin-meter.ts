/**
 * The cairn plugin for each bundler, made by unplugin from the same factory as
 * cairnjs/esbuild, /rollup, /vite and /webpack, with the CPU of every callback it
 * gives the bundler counted: the plugin's own cost, which the bundlers' run-to-run
 * noise (tens of milliseconds on a one-second build, that is, whole milliseconds
 * per workflow module) does not blur. Only synchronous work is counted, which is
 * all the plugin does.
 */
import type { OnEndResult, OnLoadArgs, PluginBuild } from "esbuild";
import { createEsbuildPlugin, createRollupPlugin, createVitePlugin, createWebpackPlugin, type UnpluginFactory, type UnpluginOptions } from "unplugin";
import type { Compilation, Compiler } from "webpack";
import { cairnUnplugin } from "../plugin/bundler/unplugin.ts";
import type { CairnPluginOptions } from "../plugin/pipeline/options.ts";

type AnyFn = (...args: never[]) => unknown;

export class CpuMeter {
  /** Milliseconds of CPU inside metered calls since the last reset. */
  total = 0;
  private depth = 0;

  wrap<F extends AnyFn>(fn: F): F {
    const meter = this;
    return function (this: unknown, ...args: Parameters<F>) {
      // Nested metered calls are inside the outer one's time already.
      if (meter.depth > 0) return fn.apply(this, args);
      meter.depth++;
      const start = process.cpuUsage();
      try {
        return fn.apply(this, args);
      } finally {
        meter.depth--;
        const used = process.cpuUsage(start);
        meter.total += (used.user + used.system) / 1000;
      }
    } as F;
  }
}

/** The four bundler plugins, every callback metered by `meter`. */
export function meteredPlugins(meter: CpuMeter) {
  const factory: UnpluginFactory<CairnPluginOptions | undefined> = (options, meta) => meterHooks(cairnUnplugin.raw(options, meta) as UnpluginOptions, meter);
  return {
    esbuild: createEsbuildPlugin(factory),
    rollup: createRollupPlugin(factory),
    vite: createVitePlugin(factory),
    webpack: createWebpackPlugin(factory),
  };
}

function meterHooks(raw: UnpluginOptions, meter: CpuMeter): UnpluginOptions {
  const out: UnpluginOptions = { ...raw };
  if (typeof raw.transform === "function") out.transform = meter.wrap(raw.transform);
  else if (raw.transform) out.transform = { ...raw.transform, handler: meter.wrap(raw.transform.handler) };
  if (raw.transformInclude) out.transformInclude = meter.wrap(raw.transformInclude);
  if (raw.buildEnd) out.buildEnd = meter.wrap(raw.buildEnd);
  if (raw.rollup) out.rollup = meterObject(raw.rollup, meter);
  if (raw.vite) out.vite = meterObject(raw.vite, meter);
  if (raw.esbuild?.setup) out.esbuild = { ...raw.esbuild, setup: meteredSetup(raw.esbuild.setup, meter) };
  if (raw.webpack) out.webpack = meteredWebpack(raw.webpack, meter);
  return out;
}

function meterObject<T extends object>(hooks: T, meter: CpuMeter): T {
  return Object.fromEntries(Object.entries(hooks).map(([k, v]) => [k, typeof v === "function" ? meter.wrap(v as AnyFn) : v])) as T;
}

/** esbuild: setup itself (the candidate scan) and every callback it registers. */
function meteredSetup(setup: (build: PluginBuild) => void | Promise<void>, meter: CpuMeter) {
  return (build: PluginBuild) => {
    const proxy: PluginBuild = Object.create(build);
    proxy.onLoad = (options, callback) => build.onLoad(options, meter.wrap(callback as (args: OnLoadArgs) => never));
    proxy.onEnd = (callback) => build.onEnd(meter.wrap(callback as (result: OnEndResult) => never));
    proxy.onStart = (callback) => build.onStart(meter.wrap(callback));
    return meter.wrap(setup)(proxy);
  };
}

/** webpack: the callbacks the plugin taps on the compiler and on each compilation. */
function meteredWebpack(apply: (compiler: Compiler) => void, meter: CpuMeter) {
  const compilationHooks = (compilation: Compilation): Tappable[] => [compilation.hooks.processAssets as unknown as Tappable];
  return (compiler: Compiler) =>
    withMeteredTaps([compiler.hooks.thisCompilation as unknown as Tappable], meter, () =>
      withMeteredTaps([compiler.hooks.watchRun as unknown as Tappable], meter, () => apply(compiler)), compilationHooks);
}

interface Tappable {
  tap(options: unknown, fn: AnyFn): void;
}

/** Runs `register` with `.tap` on `hooks` metering the callbacks; `inner` names the hooks those callbacks tap in turn. */
function withMeteredTaps(hooks: Tappable[], meter: CpuMeter, register: () => void, inner?: (arg: Compilation) => Tappable[]): void {
  const originals = hooks.map((h) => h.tap);
  hooks.forEach((hook, i) => {
    hook.tap = (options, fn) =>
      originals[i].call(hook, options, meter.wrap(inner ? (arg: Compilation) => withMeteredTaps(inner(arg), meter, () => fn(arg as never)) : fn));
  });
  try {
    register();
  } finally {
    hooks.forEach((hook, i) => (hook.tap = originals[i]));
  }
}
