/**
 * Task classification of a prompt, for the speculative-decoding advisor: which kind of output the prompt asks for
 * decides which speculation technique fits. Deterministic keyword and shape rules, English and Chinese; every rule
 * that fires adds a weighted vote and a reason, and the reasons are part of the result.
 *
 * Instruction words are read outside code blocks, and for long prompts only in the first and last 600 characters
 * (where instructions sit), so a document or code body that happens to say "translate" or "fix" does not vote.
 */
import type { TaskCategory } from '../types';
import type { SpecBenchTask } from './published';

export interface TaskContext {
  /** VS Code language id of the document the selection came from (e.g. "typescript", "markdown"). */
  languageId?: string;
  /** Whether the selection sent with the prompt is code. */
  selectionIsCode?: boolean;
}

/** Finer kind of task inside a category; decides the Spec-Bench task used for category estimates. */
export type TaskSubtype =
  | 'code-edit'
  | 'code-generate'
  | 'code-port'
  | 'math'
  | 'logic'
  | 'summarization'
  | 'rag'
  | 'translation'
  | 'multi-turn'
  | 'qa'
  | 'text-edit';

export interface TaskClassification {
  category: TaskCategory;
  subtype: TaskSubtype;
  /** 0.3–0.95: how clearly the winning category beat the others. */
  confidence: number;
  reasons: string[];
  /** Per-category vote totals, for explanation. */
  scores: Record<TaskCategory, number>;
  /** The Spec-Bench task whose published numbers stand in for this task (null for code: Spec-Bench has none). */
  specBenchTask: SpecBenchTask | null;
}

const PROSE_LANGUAGES = new Set([
  'plaintext',
  'markdown',
  'text',
  'latex',
  'restructuredtext',
  'asciidoc',
  'log',
  'csv',
  'json',
  'jsonc',
  'yaml',
  'xml',
  'html',
  'scminput',
]);
// Data formats are not "code" to edit in the programming sense, but a JSON or YAML selection with "rename the
// keys" is still an edit of structured text that the output copies; treat json/yaml/xml/html as code-like below.
const STRUCTURED_LANGUAGES = new Set(['json', 'jsonc', 'yaml', 'xml', 'html']);

const PROGRAMMING_LANGUAGE =
  /\b(python|typescript|javascript|rust|golang|java|kotlin|swift|c\+\+|c#|csharp|ruby|php|scala|haskell|elixir|lua|perl|dart|sql|bash|powershell|react|vue|svelte|node\.?js|django|flask|pandas|numpy|cuda)\b|\bin go\b|\bgo (code|program|function)\b/i;
const HUMAN_LANGUAGE =
  /(english|chinese|mandarin|cantonese|japanese|korean|french|german|spanish|italian|portuguese|russian|arabic|vietnamese|thai|indonesian|dutch|polish|turkish|hindi|英文|英语|中文|汉语|日文|日语|韩文|韩语|法文|法语|德文|德语|西班牙语|俄语|意大利语|葡萄牙语|阿拉伯语)/i;

interface Rule {
  cat: TaskCategory;
  re: RegExp;
  w: number;
  why: string;
  /** Subtype this rule implies, when its category wins. */
  sub?: TaskSubtype;
  /** Only when code is (true) or is not (false) present. */
  code?: boolean;
  /** Supporting evidence only: counts when another rule already voted for the same category. */
  support?: boolean;
}

// Weights: 3 = the instruction names the task; 2 = a strong hint; 1 = a weak hint.
const RULES: Rule[] = [
  // coding-edit: the output rewrites code that is in the prompt.
  {
    cat: 'coding-edit',
    re: /\brefactor(s|ed|ing)?\b|\brename\b|\bfix (the |this |that |these |a |my )?(bug|bugs|error|errors|issue|crash|failing|test|code|function|method|type error|warning|lint)/i,
    w: 3,
    why: 'asks to refactor, rename or fix code',
  },
  {
    cat: 'coding-edit',
    re: /\b(fix|debug|find the bug|why (does|is) this (code|function)? ?(fail|crash|throw))/i,
    w: 2,
    why: 'asks to fix or debug',
    code: true,
  },
  {
    cat: 'coding-edit',
    re: /\b(rewrite|reformat|restructure|clean (it |this )?up|tidy|simplify|optimi[sz]e|modernize|migrate|convert|modify|change|update|edit|improve|replace|remove|delete|extract|inline|add (type hints|types|typings|type annotations|comments|docstrings?|jsdoc|error handling|logging|a parameter|an argument)|make (it|this)( function| code)? (async|faster|generic|pure|thread-safe|idiomatic))\b/i,
    w: 2,
    why: 'asks to change existing code',
    code: true,
  },
  {
    cat: 'coding-edit',
    re: /重构|重命名|修复|修正|修bug|修 bug|改 ?bug|找出.{0,6}(bug|错误|问题)|调试|报错/i,
    w: 3,
    why: 'asks to refactor, rename, fix or debug (中文)',
  },
  {
    cat: 'coding-edit',
    re: /修改|改写|重写|优化|简化|格式化|改成|改为|替换|迁移|加上?注释|添加注释|加上?类型|添加类型|改一下|删除|删掉|提取/,
    w: 2,
    why: 'asks to change existing code (中文)',
    code: true,
  },
  // coding-generate: the output is new code.
  {
    cat: 'coding-generate',
    re: /\b(write|implement|create|generate|build|code up|make|give me|scaffold)\b[^.?!\n]{0,50}\b(function|method|class|script|program|module|component|endpoint|api|cli|command[- ]line|unit tests?|tests|test case|regex|regular expression|sql|query|algorithm|parser|server|hook|decorator|struct|interface|dockerfile|makefile|bash script|shell script|snippet|code|app|website|plugin|macro|lambda|migration)\b/i,
    w: 4,
    why: 'asks to write new code',
  },
  {
    cat: 'coding-generate',
    re: /(写|编写|实现|生成|创建|做|开发)[^。？！\n]{0,20}(函数|方法|类|脚本|程序|代码|模块|组件|接口|单元测试|测试用例|正则|查询|算法|爬虫|API|api|SQL|sql|小程序|网页|页面|插件|服务器|服务端|后端|命令行|库)|单元测试|正则表达式/,
    w: 4,
    why: 'asks to write new code (中文)',
  },
  { cat: 'coding-generate', re: PROGRAMMING_LANGUAGE, w: 1, why: 'names a programming language', support: true },
  {
    cat: 'coding-generate',
    re: /用\s*(Go|Rust|Python|Java|TypeScript|JavaScript|C\+\+|C#|Kotlin|Swift|PHP|Ruby|SQL|Shell|Bash)\b/i,
    w: 1,
    why: 'names a programming language (中文)',
    support: true,
  },
  // reasoning: math, logic, step-by-step.
  {
    cat: 'reasoning',
    re: /\b(prove|proof|show that|derive|solve|calculate|compute|evaluate the (integral|expression|limit|sum))\b/i,
    w: 3,
    why: 'asks to prove, solve or calculate',
    sub: 'math',
  },
  {
    cat: 'reasoning',
    re: /\b(how many|how much|what is the (probability|expected|sum|product|remainder|value)|probability|expected value|integral|derivative|equation|inequality|theorem|lemma|modulo|prime numbers?|percent(age)?|average speed)\b/i,
    w: 2,
    why: 'asks a quantitative question',
    sub: 'math',
  },
  {
    cat: 'reasoning',
    re: /\b(step[- ]by[- ]step|think (carefully|it through|step)|reason (through|about|carefully)|show your (work|reasoning)|explain your reasoning)\b/i,
    w: 2,
    why: 'asks for step-by-step reasoning',
  },
  {
    cat: 'reasoning',
    re: /\b(logic puzzle|riddle|puzzle|deduce|which of the following (must|is necessarily)|knights and knaves|syllogism|paradox)\b/i,
    w: 3,
    why: 'poses a logic puzzle',
    sub: 'logic',
  },
  {
    cat: 'reasoning',
    re: /证明|求解|解方程|方程|计算|推导|求.{0,12}(值|面积|体积|概率|和|积|解)|概率|期望|积分|导数|极限|数学题|应用题/,
    w: 3,
    why: 'asks to prove, solve or calculate (中文)',
    sub: 'math',
  },
  {
    cat: 'reasoning',
    re: /多少|几[个种次天岁年月周米元块倍人只本辆台份]|几小时|几分钟|多长时间|一步一步|一步步|逐步|推理|逻辑|谜题|为什么.{0,10}(成立|正确)/,
    w: 2,
    why: 'asks a quantitative or step-by-step question (中文)',
  },
  {
    cat: 'reasoning',
    re: /\d+(\.\d+)?\s*%[^?？\n]*[?？]|\d+(\.\d+)?\s*[+\-*/×÷^]\s*\d+|\\(frac|sum|int|sqrt)\b|[a-z]\s*\^\s*\d|[=≤≥<>]\s*-?\d+(\.\d+)?\s*(\?|？|$)/im,
    w: 2,
    why: 'contains arithmetic or a formula',
    sub: 'math',
  },
  // summarization and retrieval-grounded answers.
  {
    cat: 'summarization',
    re: /\b(summari[sz]e|summary|summarization|tl;?dr|key (points|takeaways|findings)|main (points|ideas)|condense|recap|gist)\b/i,
    w: 3,
    why: 'asks for a summary',
    sub: 'summarization',
  },
  // "In three sentences" only bounds the length: it makes an explanation no summary (there is no text to condense).
  {
    cat: 'summarization',
    re: /\b(according to|based on|using only|only using|grounded in|cite|citing|from) (the )?(following |above |provided |attached |given |these |retrieved )?(context|passages?|documents?|docs|article|text|sources|search results|excerpts?|snippets?|references|paper|report|transcript)\b/i,
    w: 3,
    why: 'asks for an answer grounded in given documents',
    sub: 'rag',
  },
  {
    cat: 'summarization',
    re: /^\s*(context|documents?|passages?|sources?|search results|retrieved)\s*[:：]|\[(doc(ument)?\s*)?\d+\]|^\s*(document|passage|source) \d+/im,
    w: 2,
    why: 'contains labelled context passages',
    sub: 'rag',
  },
  {
    cat: 'summarization',
    re: /总结|概括|摘要|归纳|要点|提炼|梗概|简述|概述|主要内容|中心思想/,
    w: 3,
    why: 'asks for a summary (中文)',
    sub: 'summarization',
  },
  {
    cat: 'summarization',
    re: /(根据|基于|依据|参考)(以下|上述|下面|上面|提供的|给定的|给出的|这篇|这些)?的?(文章|文档|资料|材料|内容|上下文|段落|文本|检索结果|报告|论文|信息)/,
    w: 3,
    why: 'asks for an answer grounded in given documents (中文)',
    sub: 'rag',
  },
  // translation.
  {
    cat: 'translation',
    re: /\btranslat(e|es|ed|ing|ion)\b|\bhow (do|would) (you|i) say\b/i,
    w: 3,
    why: 'asks for a translation',
    sub: 'translation',
  },
  {
    cat: 'translation',
    re: new RegExp(`\\binto (${HUMAN_LANGUAGE.source})\\b`, 'i'),
    w: 2,
    why: 'names a target language',
    sub: 'translation',
  },
  {
    cat: 'translation',
    re: /翻译|译成|译为|翻成|英译中|中译英|汉译英|英译汉|译文|(用|的)(英文|英语|日语|法语|德语)怎么说/,
    w: 3,
    why: 'asks for a translation (中文)',
    sub: 'translation',
  },
  // chat: explanations, opinions, prose editing.
  {
    cat: 'chat',
    re: /\b(explain|what does|what is|what are|why (does|do|is|are)|how (does|do)|walk me through|tell me about|describe|review|compare|recommend|suggest|opinion|pros and cons|advice)\b/i,
    w: 1,
    why: 'asks for an explanation or advice',
    sub: 'qa',
  },
  {
    cat: 'chat',
    re: /解释|说明一下|是什么|什么是|为什么|怎么样|如何看待|介绍|讲解|比较|推荐|建议|作用|区别/,
    w: 1,
    why: 'asks for an explanation or advice (中文)',
    sub: 'qa',
  },
  {
    cat: 'chat',
    re: /\b(proofread|polish|rephrase|paraphrase|reword|rewrite|edit|copy-?edit|correct (the )?(grammar|spelling)|fix (the )?(grammar|typos?|spelling|wording)|make (it|this) (sound )?(more )?(formal|casual|concise|polite|professional|friendly|shorter|clearer))\b/i,
    w: 2,
    why: 'asks to rewrite prose (the output will copy much of it)',
    sub: 'text-edit',
    code: false,
  },
  {
    cat: 'chat',
    re: /润色|改写|校对|修改.{0,6}(语法|措辞|表达|文字)|改得更|改成更|更正式|更口语|重新表述/,
    w: 2,
    why: 'asks to rewrite prose (中文; the output will copy much of it)',
    sub: 'text-edit',
    code: false,
  },
];

const TIE_ORDER: TaskCategory[] = [
  'coding-edit',
  'coding-generate',
  'translation',
  'summarization',
  'reasoning',
  'chat',
];

/** Lines that look like code: statements, declarations, braces, comments, decorators, tags. */
const CODE_LINE =
  /^\s*(def |class |import |from \S+ import|function\b|const |let |var |return\b|if\s*\(|for\s*\(|while\s*\(|switch\s*\(|public |private |protected |static |#include|package |func |fn |impl |use |pub |struct |enum |interface |type \w+ =|export |async |await |try\s*{|catch\s*\(|elif |else:|@\w+|\/\/|\/\*|\*\s|#!|<\/?[a-z][\w-]*[ >])|[;{}]\s*$|^\s*[\w.[\]]+\s*(=|\+=|-=|:=)\s*[^=]|^\s*[\w.]+\(.*\)\s*;?\s*$/;

function splitCode(prompt: string): { instruction: string; code: string; fenced: boolean } {
  const fence = /```[^\n]*\n?([\s\S]*?)(```|$)|~~~[^\n]*\n?([\s\S]*?)(~~~|$)/g;
  let code = '';
  let fenced = false;
  const instruction = prompt.replace(fence, (_m, a?: string, _b?: string, c?: string) => {
    fenced = true;
    code += (a ?? c ?? '') + '\n';
    return '\n';
  });
  if (fenced) return { instruction, code, fenced };
  // Unfenced code: a run of code-looking lines.
  const lines = prompt.split('\n');
  const nonEmpty = lines.filter((l) => l.trim());
  const codeLines = nonEmpty.filter((l) => CODE_LINE.test(l));
  if (codeLines.length >= 3 && codeLines.length / nonEmpty.length >= 0.4) {
    const isCode = (l: string) => CODE_LINE.test(l) || /^\s{2,}\S/.test(l) || /^\s*[)}\]]/.test(l);
    return {
      instruction: lines.filter((l) => !isCode(l)).join('\n'),
      code: lines.filter(isCode).join('\n'),
      fenced: false,
    };
  }
  return { instruction: prompt, code: '', fenced: false };
}

/** Where instructions are: all of a short text, the head and tail of a long one. */
function instructionWindow(text: string): string {
  const t = text.trim();
  return t.length <= 1200 ? t : `${t.slice(0, 600)}\n…\n${t.slice(-600)}`;
}

/** Turns of a pasted conversation ("User: … Assistant: …"). */
function countTurns(prompt: string): number {
  const m = prompt.match(/^\s*(user|assistant|human|ai|bot|system|用户|助手|问|答)\s*[:：]/gim);
  return m ? m.length : 0;
}

export function classifyTask(prompt: string, context: TaskContext = {}): TaskClassification {
  const reasons: string[] = [];
  const scores: Record<TaskCategory, number> = {
    'coding-edit': 0,
    'coding-generate': 0,
    reasoning: 0,
    summarization: 0,
    translation: 0,
    chat: 0,
  };
  const subVotes = new Map<TaskCategory, Map<TaskSubtype, number>>();
  const vote = (cat: TaskCategory, w: number, why: string, sub?: TaskSubtype) => {
    scores[cat] += w;
    reasons.push(`${why} → ${cat} +${w}`);
    if (sub) {
      const m = subVotes.get(cat) ?? new Map<TaskSubtype, number>();
      m.set(sub, (m.get(sub) ?? 0) + w);
      subVotes.set(cat, m);
    }
  };

  const { instruction, code, fenced } = splitCode(prompt);
  const lang = context.languageId?.toLowerCase();
  const langIsCode = lang !== undefined && (!PROSE_LANGUAGES.has(lang) || STRUCTURED_LANGUAGES.has(lang));
  const codeFromContext = context.selectionIsCode ?? langIsCode;
  const codePresent = code.trim().length > 0 || codeFromContext === true;
  if (context.selectionIsCode) reasons.push(`the selection is code${lang ? ` (${lang})` : ''}`);
  else if (context.selectionIsCode === undefined && langIsCode)
    reasons.push(`the editor language is ${lang}: the selection is taken as code`);
  else if (context.selectionIsCode === false) reasons.push('the selection is prose, not code');
  if (code.trim()) reasons.push(fenced ? 'the prompt contains a fenced code block' : 'the prompt contains code lines');

  const window = instructionWindow(instruction);
  for (const support of [false, true]) {
    for (const r of RULES) {
      if (Boolean(r.support) !== support) continue;
      if (support && scores[r.cat] === 0) continue;
      if (r.code === true && !codePresent) continue;
      if (r.code === false && codePresent) continue;
      const m = window.match(r.re);
      if (m) vote(r.cat, r.w, `${r.why} ("${m[0].trim().slice(0, 40)}")`, r.sub);
    }
  }

  // Translation whose target is a programming language is a port of code; translating the comments or strings of
  // code into a human language is an edit of that code.
  if (scores.translation > 0 && (codePresent || PROGRAMMING_LANGUAGE.test(window))) {
    const target = window.match(/(?:\binto|\bto|成|为|到)\s*([\w+#.]+|[\u4e00-\u9fff]{2,4})/i)?.[1] ?? '';
    if (PROGRAMMING_LANGUAGE.test(target) || /^(go|c|rust|java)$/i.test(target)) {
      vote(
        'coding-generate',
        scores.translation + 1,
        `translation into a programming language ("${target}") is a code port: new code, little verbatim copying`,
        'code-port',
      );
    } else if (codePresent) {
      vote(
        'coding-edit',
        scores.translation + 1,
        'translating text inside code keeps the code: an edit that copies most of it',
      );
    }
  }

  // Shape of the prompt.
  const prose = instruction.trim();
  if (prose.length >= 1500 && !codePresent)
    vote('summarization', 1, `the prompt carries a long document (${prose.length} characters of prose)`);
  if (
    codePresent &&
    scores['coding-edit'] + scores['coding-generate'] === 0 &&
    scores.chat === 0 &&
    scores.summarization === 0 &&
    scores.translation === 0
  )
    vote('coding-edit', 1, 'code in the prompt and no other instruction recognised: an edit of it is assumed');
  const turns = countTurns(prompt);
  if (turns >= 2) {
    reasons.push(`the prompt is a conversation of ${turns} turns`);
    const m = subVotes.get('chat') ?? new Map<TaskSubtype, number>();
    m.set('multi-turn', 100); // a transcript decides the chat subtype, not the category
    subVotes.set('chat', m);
  }

  // Winner: highest score; ties by a fixed order.
  let best: TaskCategory = 'chat';
  let bestScore = 0;
  for (const cat of TIE_ORDER) if (scores[cat] > bestScore) [best, bestScore] = [cat, scores[cat]];
  const second = Math.max(0, ...TIE_ORDER.filter((c) => c !== best).map((c) => scores[c]));
  if (bestScore === 0) reasons.push('no task-specific instruction recognised → chat');
  else if (second > 0)
    reasons.push(
      `chose ${best} (${bestScore}) over ${TIE_ORDER.find((c) => c !== best && scores[c] === second)} (${second})`,
    );

  const subtype = pickSubtype(best, subVotes.get(best));
  const confidence =
    bestScore === 0 ? 0.4 : Math.round(Math.min(0.95, Math.max(0.3, bestScore / (bestScore + second + 1))) * 100) / 100;
  return { category: best, subtype, confidence, reasons, scores, specBenchTask: SUBTYPE_TASK[subtype] };
}

function pickSubtype(cat: TaskCategory, votes: Map<TaskSubtype, number> | undefined): TaskSubtype {
  let best: TaskSubtype | undefined;
  let w = 0;
  for (const [s, v] of votes ?? []) if (v > w) [best, w] = [s, v];
  if (best && SUBTYPE_CATEGORY[best] === cat) return best;
  return DEFAULT_SUBTYPE[cat];
}

const DEFAULT_SUBTYPE: Record<TaskCategory, TaskSubtype> = {
  'coding-edit': 'code-edit',
  'coding-generate': 'code-generate',
  reasoning: 'math',
  summarization: 'summarization',
  translation: 'translation',
  chat: 'qa',
};
const SUBTYPE_CATEGORY: Record<TaskSubtype, TaskCategory> = {
  'code-edit': 'coding-edit',
  'code-generate': 'coding-generate',
  'code-port': 'coding-generate',
  math: 'reasoning',
  logic: 'reasoning',
  summarization: 'summarization',
  rag: 'summarization',
  translation: 'translation',
  'multi-turn': 'chat',
  qa: 'chat',
  'text-edit': 'chat',
};
/** The Spec-Bench task standing in for each subtype (null: no Spec-Bench task matches). */
export const SUBTYPE_TASK: Record<TaskSubtype, SpecBenchTask | null> = {
  'code-edit': null,
  'code-generate': null,
  'code-port': null,
  math: 'math',
  logic: 'math',
  summarization: 'summarization',
  rag: 'rag',
  translation: 'translation',
  'multi-turn': 'multi-turn',
  qa: 'qa',
  'text-edit': null,
};
