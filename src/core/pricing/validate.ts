/**
 * Shape check of genai-prices data (a JSON list of providers, each with models and prices) before the engine is
 * given it: a truncated download, an HTML error page or a future incompatible format is refused with a reason.
 * The engine then checks price constraints itself when the data is activated.
 */
import * as v from 'valibot';

const match: v.GenericSchema = v.lazy(() =>
  v.union([
    v.object({ equals: v.string() }),
    v.object({ starts_with: v.string() }),
    v.object({ ends_with: v.string() }),
    v.object({ contains: v.string() }),
    v.object({ regex: v.string() }),
    v.object({ or: v.array(match) }),
    v.object({ and: v.array(match) }),
  ]),
);

const price = v.union([
  v.pipe(v.number(), v.minValue(0)),
  v.object({
    base: v.pipe(v.number(), v.minValue(0)),
    tiers: v.array(v.object({ start: v.number(), price: v.pipe(v.number(), v.minValue(0)) })),
  }),
]);
const modelPrice = v.record(v.string(), price);

const model = v.object({
  id: v.string(),
  match,
  prices: v.union([
    modelPrice,
    v.pipe(
      v.array(v.object({ prices: modelPrice, constraint: v.optional(v.record(v.string(), v.unknown())) })),
      v.minLength(1),
    ),
  ]),
  context_window: v.optional(v.number()),
});

const provider = v.object({ id: v.string(), name: v.string(), api_pattern: v.string(), models: v.array(model) });

/** The providers any Tokenscope build prices with: data without them is not a usable update. */
const REQUIRED_PROVIDERS = ['openai', 'anthropic', 'google', 'deepseek'];

/** Null when `data` is a usable provider list; otherwise what is wrong with it, in a few words. */
export function validatePriceData(data: unknown): string | null {
  if (!Array.isArray(data)) return 'expected a JSON list of providers';
  const result = v.safeParse(v.array(provider), data);
  if (!result.success) {
    const issue = result.issues[0];
    const where = (issue.path ?? []).map((p) => String(p.key)).join('.');
    return `${where ? `at ${where}: ` : ''}${issue.message}`;
  }
  const ids = new Set(result.output.map((p) => p.id));
  const missing = REQUIRED_PROVIDERS.filter((id) => !ids.has(id));
  if (missing.length) return `providers missing: ${missing.join(', ')}`;
  return null;
}
