/**
 * The commented example "Configure Models" puts into settings.json when `tokenscope.models` is not there yet:
 * an empty list whose example entries are commented out, so nothing half-filled reaches the model picker.
 * settings.json is JSON with comments, so the example explains itself. Pure text work: no `vscode`.
 */

export const MODELS_EXAMPLE = `// Tokenscope: models to benchmark besides the built-in ones (one entry per model; completion and checks come
  // from the setting's schema). API keys never go here: name the environment variable in "apiKeyEnv" and run
  // "Tokenscope: Set API Key", which keeps the key in VS Code's secret storage.
  "tokenscope.models": [
    // Uncomment an entry and fill it in.
    // A local server (Ollama shown; llama.cpp, vLLM and LM Studio speak "openai-chat" at http://127.0.0.1:PORT/v1).
    // No key needed. "model" is the name the server knows, e.g. from \`ollama list\`.
    // { "id": "my-ollama", "protocol": "ollama", "baseUrl": "http://127.0.0.1:11434", "model": "qwen3:8b", "region": "local", "tokenizer": "qwen3" },
    // Any OpenAI-compatible API. OpenRouter's one key reaches most Chinese and US models; its model ids are listed at
    // https://openrouter.ai/models.
    // { "id": "my-openrouter-model", "protocol": "openai-chat", "baseUrl": "https://openrouter.ai/api/v1", "model": "PROVIDER/MODEL", "region": "CN", "apiKeyEnv": "OPENROUTER_API_KEY" }
  ]`;

/**
 * Where and what to insert into a settings.json text so it gains the example: before the closing brace of the top
 * object, with a comma after the last existing setting. Undefined when the setting is already there (or the text
 * has no top-level object to add to).
 */
export function modelsExampleEdit(text: string): { offset: number; insert: string } | undefined {
  if (/"tokenscope\.models"\s*:/.test(stripComments(text))) return undefined;
  const body = stripComments(text);
  const close = body.lastIndexOf('}');
  if (close < 0 || body.indexOf('{') < 0 || body.indexOf('{') > close) return undefined;
  const before = body.slice(0, close).replace(/\s+$/, '');
  const needsComma = !before.endsWith('{') && !before.endsWith(',');
  // Insert right after the last non-blank character before the closing brace (comments are kept in place).
  const offset = before.length;
  return { offset, insert: `${needsComma ? ',' : ''}\n  ${MODELS_EXAMPLE}\n` };
}

/** The text with comments blanked out (same length, so offsets still hold). Strings are respected. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const j = text.indexOf('\n', i);
      const end = j < 0 ? text.length : j;
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j < 0 ? text.length : j + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
