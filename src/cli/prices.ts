/** `tokenscope prices [--update]`: which price data costs use, and fetching newer data. */
import { BUNDLED_PRICES, priceEngine, pricesCachePath } from '../core/pricing';
import { priceDataUrl, updatePriceData } from '../core/pricing/update';
import { UsageError, type Io } from './io';

export async function prices(args: { update?: boolean; url?: string }, io: Io): Promise<number> {
  if (args.url && !args.update) throw new UsageError('--url goes with --update');
  if (args.update) {
    const url = args.url ?? priceDataUrl(io.env);
    if (!/^https?:\/\//i.test(url))
      throw new UsageError(
        `the price data URL must be an http:// or https:// URL, got "${url}" (from ${args.url ? '--url' : 'TOKENSCOPE_PRICES_URL'})`,
      );
    const result = await updatePriceData({ url, cachePath: pricesCachePath(io.env), env: io.env });
    (result.ok ? io.out : io.err)(result.message);
    return result.ok ? 0 : 1;
  }
  const { status } = priceEngine();
  const cache = pricesCachePath(io.env);
  io.out(
    [
      `Costs use genai-prices ${BUNDLED_PRICES.version}: ${status.data === 'updated' ? `updated data fetched on ${status.dataDate}, cached at ${cache}` : `the data bundled with it, of ${status.dataDate}`}.`,
      ...(status.problem ? [`warning: ${status.problem}`] : []),
      `A model's "price" in your config overrides it. "tokenscope prices --update" fetches newer data from ${priceDataUrl(io.env)}.`,
    ].join('\n'),
  );
  return 0;
}
