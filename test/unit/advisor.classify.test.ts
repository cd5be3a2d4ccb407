/** classifyTask on real-looking prompts, English and Chinese, with and without editor context. */
import { describe, expect, it } from 'vitest';
import { classifyTask, type TaskContext } from '../../src/core/advisor';
import type { TaskCategory } from '../../src/core/types';

const TS =
  '```ts\nexport function total(items: Item[]) {\n  let t = 0;\n  for (const i of items) t += i.price * i.qty;\n  return t;\n}\n```';
const PY = 'def load(path):\n    f = open(path)\n    data = json.load(f)\n    return data["items"]\n';
const ARTICLE =
  'The city council voted on Tuesday to extend the tram line to the northern suburbs, a project that has been debated for more than a decade. ' +
  'Supporters say the extension will cut commuting times by up to twenty minutes and reduce traffic on the ring road, while opponents argue the cost, now estimated at 480 million euros, is too high. '.repeat(
    6,
  );

const CASES: { prompt: string; context?: TaskContext; want: TaskCategory; note: string }[] = [
  // coding-edit
  {
    prompt: `Refactor this to use reduce instead of the loop:\n${TS}`,
    want: 'coding-edit',
    note: 'EN refactor with fenced code',
  },
  {
    prompt: 'Rename the variable `t` to `sum` and add a JSDoc comment.',
    context: { languageId: 'typescript', selectionIsCode: true },
    want: 'coding-edit',
    note: 'EN rename, code selection',
  },
  {
    prompt: `Fix the bug: this crashes when the file does not exist.\n${PY}`,
    want: 'coding-edit',
    note: 'EN fix bug, unfenced Python',
  },
  {
    prompt: 'make it async',
    context: { languageId: 'javascript', selectionIsCode: true },
    want: 'coding-edit',
    note: 'EN terse instruction on a code selection',
  },
  { prompt: `重构这个函数，让它更易读：\n${TS}`, want: 'coding-edit', note: 'ZH 重构' },
  { prompt: `修复下面代码里的空指针问题\n${PY}`, want: 'coding-edit', note: 'ZH 修复' },
  {
    prompt: '把这段代码里的 var 都改成 const 或 let',
    context: { languageId: 'javascript', selectionIsCode: true },
    want: 'coding-edit',
    note: 'ZH 改成, code selection',
  },
  {
    prompt: '把这段代码的注释翻译成英文',
    context: { languageId: 'python', selectionIsCode: true },
    want: 'coding-edit',
    note: 'ZH translate comments inside code',
  },
  {
    prompt: 'Add type hints to every function in this module.',
    context: { languageId: 'python' },
    want: 'coding-edit',
    note: 'EN add types, language id only',
  },
  // coding-generate
  {
    prompt: 'Write a Python function that parses an ISO 8601 date string and returns a datetime, with unit tests.',
    want: 'coding-generate',
    note: 'EN write function',
  },
  {
    prompt: 'Implement a React hook useDebounce(value, delay) in TypeScript.',
    want: 'coding-generate',
    note: 'EN implement hook',
  },
  {
    prompt: 'Give me a bash script that backs up /var/www to S3 every night.',
    want: 'coding-generate',
    note: 'EN bash script',
  },
  { prompt: '用 Go 写一个 HTTP 服务器，支持优雅退出。', want: 'coding-generate', note: 'ZH 写服务器' },
  { prompt: '帮我写一个正则表达式，匹配中国大陆的手机号。', want: 'coding-generate', note: 'ZH 正则' },
  {
    prompt: `Translate this Python code to Rust:\n\`\`\`python\n${PY}\`\`\``,
    want: 'coding-generate',
    note: 'EN port to another language',
  },
  {
    prompt: 'Write unit tests for this function.',
    context: { languageId: 'typescript', selectionIsCode: true },
    want: 'coding-generate',
    note: 'EN tests for selection',
  },
  // reasoning
  { prompt: 'Prove that the square root of 2 is irrational.', want: 'reasoning', note: 'EN prove' },
  {
    prompt:
      'A train leaves at 3:15 pm travelling at 80 km/h. How many kilometres has it covered by 5:45 pm? Think step by step.',
    want: 'reasoning',
    note: 'EN word problem',
  },
  { prompt: 'Solve for x: 3x^2 - 12x + 9 = 0', want: 'reasoning', note: 'EN equation' },
  {
    prompt:
      'Three boxes are labelled apples, oranges, and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel them? This is a logic puzzle.',
    want: 'reasoning',
    note: 'EN logic puzzle',
  },
  { prompt: '证明：对任意正整数 n，n^3 - n 能被 6 整除。', want: 'reasoning', note: 'ZH 证明' },
  { prompt: '计算 ∫₀¹ x·e^x dx，写出详细过程。', want: 'reasoning', note: 'ZH 计算积分' },
  {
    prompt: '一个水池有两个进水管，甲管单独注满要 6 小时，乙管单独注满要 4 小时，两管同时开，几小时能注满？',
    want: 'reasoning',
    note: 'ZH 应用题',
  },
  {
    prompt: 'What is the probability of getting at least two heads in five fair coin tosses?',
    want: 'reasoning',
    note: 'EN probability',
  },
  // summarization / RAG
  {
    prompt: `Summarize the following article in three bullet points:\n\n${ARTICLE}`,
    want: 'summarization',
    note: 'EN summarize',
  },
  { prompt: `${ARTICLE}\n\nTL;DR?`, want: 'summarization', note: 'EN TL;DR after the document' },
  { prompt: `请总结下面这篇文章的要点：\n\n${ARTICLE}`, want: 'summarization', note: 'ZH 总结' },
  {
    prompt:
      'Context:\n[1] The Eiffel Tower was completed in 1889.\n[2] It was the tallest structure in the world until 1930.\n\nUsing only the context above, when was the Eiffel Tower completed?',
    want: 'summarization',
    note: 'EN RAG with passages',
  },
  {
    prompt: '根据以下资料回答问题：\n资料：长江全长约 6300 公里，是中国第一长河。\n问题：长江有多长？',
    want: 'summarization',
    note: 'ZH 根据以下资料',
  },
  // translation
  {
    prompt: 'Translate into French: "The meeting has been moved to Thursday at 10 am."',
    want: 'translation',
    note: 'EN translate',
  },
  {
    prompt: '把下面这段话翻译成英文：我们下周二在上海开会，请提前准备好材料。',
    want: 'translation',
    note: 'ZH 翻译成英文',
  },
  { prompt: 'How do you say "good luck with your exams" in Japanese?', want: 'translation', note: 'EN how do you say' },
  { prompt: '英译中：The quarterly report shows a 12% increase in revenue.', want: 'translation', note: 'ZH 英译中' },
  {
    prompt: `Translate this article into German:\n\n${ARTICLE}`,
    want: 'translation',
    note: 'EN translate a long document',
  },
  // chat
  {
    prompt: 'What are some good books for learning about the history of the Roman Empire?',
    want: 'chat',
    note: 'EN recommendation',
  },
  {
    prompt: 'Explain what this code does.',
    context: { languageId: 'python', selectionIsCode: true },
    want: 'chat',
    note: 'EN explain code',
  },
  { prompt: '你好，能介绍一下你自己吗？', want: 'chat', note: 'ZH greeting' },
  // "in three sentences" bounds the length of an explanation; with no text to condense it is no summary.
  {
    prompt: 'Explain, in three sentences, why time to first token matters for interactive coding assistants.',
    want: 'chat',
    note: 'EN explain with a length bound',
  },
  {
    prompt: 'In two sentences, explain how a hash map handles collisions.',
    want: 'chat',
    note: 'EN length bound first',
  },
  {
    prompt: 'Describe in a few sentences what a vector database is for.',
    want: 'chat',
    note: 'EN describe with a length bound',
  },
  {
    prompt: `Summarize the following article in three sentences:\n\n${ARTICLE}`,
    want: 'summarization',
    note: 'EN summarize with a length bound stays a summary',
  },
  { prompt: '为什么天空是蓝色的？', want: 'chat', note: 'ZH why question' },
  {
    prompt:
      'Polish this paragraph so it sounds more professional: we was late on the deliverable because the vendor didnt send the parts on time.',
    want: 'chat',
    note: 'EN prose rewrite',
  },
  {
    prompt:
      'User: I want to plan a trip to Kyoto.\nAssistant: Great! When are you going?\nUser: In April, for five days. What should I see?',
    want: 'chat',
    note: 'EN multi-turn transcript',
  },
];

/**
 * A second batch, written after the rules above without changing them first: 19 of 20 on the first try (the miss,
 * "A shirt costs $25 after a 20% discount…", led to the rule for a percentage followed by a question).
 */
const HELD_OUT: [string, TaskCategory, TaskContext?][] = [
  [
    "Can you optimize this SQL query? It takes 30 seconds.\n```sql\nSELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE u.country = 'DE';\n```",
    'coding-edit',
  ],
  [
    'Convert this class component to a function component with hooks.',
    'coding-edit',
    { languageId: 'typescriptreact', selectionIsCode: true },
  ],
  ['帮我优化一下这段 SQL 的性能', 'coding-edit', { languageId: 'sql', selectionIsCode: true }],
  ['这段代码为什么会报错？怎么改？', 'coding-edit', { languageId: 'python', selectionIsCode: true }],
  ['Create a Dockerfile for a Node 20 app that runs npm start.', 'coding-generate'],
  ['写一个 Python 爬虫，抓取豆瓣电影 Top250 的标题和评分。', 'coding-generate'],
  ['Generate a CLI in Rust that counts words in a file.', 'coding-generate'],
  [
    'If all bloops are razzies and all razzies are lazzies, are all bloops definitely lazzies? Explain your reasoning.',
    'reasoning',
  ],
  ['A shirt costs $25 after a 20% discount. What was the original price?', 'reasoning'],
  ['小明有 15 个苹果，给了小红 3 个，又买了 8 个，现在有多少个？', 'reasoning'],
  ['求函数 f(x) = x^3 - 3x 的极值。', 'reasoning'],
  [
    'Give me the key takeaways from this meeting transcript:\n' +
      'Alice: we need to ship by Friday. Bob: QA is not done. '.repeat(30),
    'summarization',
  ],
  ['请用三句话概括这篇报告的主要内容。', 'summarization'],
  [
    'Based on the documents below, what is the refund policy for digital goods?\n\nDocument 1: Refunds for digital goods are available within 14 days.\nDocument 2: Physical goods may be returned within 30 days.',
    'summarization',
  ],
  [
    'Please translate the following email into Spanish:\n\nHi Maria, thanks for the update. Let us meet on Monday.',
    'translation',
  ],
  ['帮我把这句话翻译成日语：谢谢你的帮助。', 'translation'],
  ['What is the difference between TCP and UDP?', 'chat'],
  ['给我推荐几部好看的科幻电影', 'chat'],
  ['Write a haiku about autumn.', 'chat'],
  ['写一篇关于春节的作文，800字左右。', 'chat'],
];

describe('classifyTask', () => {
  it(`has a varied set of ${CASES.length} prompts, English and Chinese`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(24);
    expect(CASES.filter((c) => /[\u4e00-\u9fff]/.test(c.prompt)).length).toBeGreaterThanOrEqual(10);
    for (const cat of ['coding-edit', 'coding-generate', 'reasoning', 'summarization', 'translation', 'chat'] as const)
      expect(CASES.filter((c) => c.want === cat).length).toBeGreaterThanOrEqual(3);
  });
  for (const c of CASES) {
    it(`${c.want}: ${c.note}`, () => {
      const r = classifyTask(c.prompt, c.context);
      expect(r.category, r.reasons.join('\n')).toBe(c.want);
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.confidence).toBeGreaterThanOrEqual(0.3);
      expect(r.confidence).toBeLessThanOrEqual(0.95);
    });
  }

  for (const [prompt, want, context] of HELD_OUT) {
    it(`${want} (second batch): ${JSON.stringify(prompt.slice(0, 50))}`, () => {
      const r = classifyTask(prompt, context);
      expect(r.category, r.reasons.join('\n')).toBe(want);
    });
  }

  it('is deterministic', () => {
    for (const c of CASES) expect(classifyTask(c.prompt, c.context)).toEqual(classifyTask(c.prompt, c.context));
  });

  it('picks the subtype that decides the Spec-Bench task', () => {
    expect(classifyTask(CASES.find((c) => c.note === 'EN RAG with passages')!.prompt).subtype).toBe('rag');
    expect(classifyTask(CASES.find((c) => c.note === 'EN RAG with passages')!.prompt).specBenchTask).toBe('rag');
    expect(classifyTask(CASES.find((c) => c.note === 'EN summarize')!.prompt).specBenchTask).toBe('summarization');
    expect(classifyTask(CASES.find((c) => c.note === 'EN multi-turn transcript')!.prompt).subtype).toBe('multi-turn');
    expect(classifyTask(CASES.find((c) => c.note === 'EN prose rewrite')!.prompt).subtype).toBe('text-edit');
    expect(classifyTask(CASES.find((c) => c.note === 'EN port to another language')!.prompt).subtype).toBe('code-port');
    expect(classifyTask('What is the capital of Australia?').specBenchTask).toBe('qa');
    expect(classifyTask('Prove that there are infinitely many primes.').specBenchTask).toBe('math');
    expect(classifyTask(`Refactor:\n${TS}`).specBenchTask).toBeNull();
  });

  it('reads instructions outside code blocks: words inside the code do not vote', () => {
    const prompt =
      'Explain this function.\n```js\n// translate the summary and fix the bug, then prove it\nfunction translate(s) { return summarize(s) }\n```';
    const r = classifyTask(prompt);
    expect(r.scores.translation).toBe(0);
    expect(r.scores.summarization).toBe(0);
    expect(r.scores.reasoning).toBe(0);
    expect(r.category).toBe('chat');
  });

  it('an empty or instruction-less prompt is chat with low confidence', () => {
    const r = classifyTask('hello');
    expect(r.category).toBe('chat');
    expect(r.confidence).toBe(0.4);
    expect(r.reasons.join(' ')).toMatch(/no task-specific instruction/);
  });

  it('a code selection with no recognised instruction is taken as an edit', () => {
    const r = classifyTask('this but with a Map', { languageId: 'typescript', selectionIsCode: true });
    expect(r.category).toBe('coding-edit');
  });

  it('the same instruction on a prose selection is a text rewrite, on code an edit', () => {
    expect(
      classifyTask('Rewrite this to be shorter.', { languageId: 'markdown', selectionIsCode: false }).category,
    ).toBe('chat');
    expect(classifyTask('Rewrite this to be shorter.', { languageId: 'go', selectionIsCode: true }).category).toBe(
      'coding-edit',
    );
  });
});
