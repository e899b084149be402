/** A small Markdown → HTML renderer for the documentation the server shows at /docs/… (the user guide in
 * docs/guide and the reference pages it links). It knows the subset the docs use: ATX headings (with GitHub-style
 * ids, so `page.md#раздел` links work both on GitHub and in the app), paragraphs, bullet and numbered lists (nested by
 * indentation), fenced code, pipe tables, block quotes, rules, and inline code, bold, italics, links and images.
 * Everything else is text; all text is HTML-escaped. Pure. */

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub's heading anchor: lower case, punctuation removed (letters of any script kept), spaces → «-». */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Only relative links and http(s)/mailto: anything else (javascript:, data:) becomes «#». The url is already
 * HTML-escaped (inline text is escaped before links are recognised). */
function safeUrl(url: string): string {
  const u = url.trim();
  return /^(https?:|mailto:)/i.test(u) || !/^[a-z][a-z0-9+.-]*:/i.test(u) ? u : '#';
}

export function renderInline(text: string): string {
  const parts: string[] = [];
  // Code spans first: their content is literal.
  const segments = text.split(/(`[^`]+`)/);
  for (const seg of segments) {
    if (seg.startsWith('`') && seg.endsWith('`') && seg.length > 1) {
      parts.push(`<code>${escapeHtml(seg.slice(1, -1))}</code>`);
      continue;
    }
    let s = escapeHtml(seg);
    s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, src: string) => `<img src="${safeUrl(src)}" alt="${alt}" loading="lazy">`);
    s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => `<a href="${safeUrl(href)}">${label}</a>`);
    s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    s = s.replace(/(^|[\s(«])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
    parts.push(s);
  }
  return parts.join('');
}

interface ListItem {
  indent: number;
  ordered: boolean;
  text: string;
}

function renderList(items: ListItem[]): string {
  const out: string[] = [];
  const stack: { indent: number; ordered: boolean }[] = [];
  for (const it of items) {
    while (stack.length && it.indent < stack[stack.length - 1]!.indent) {
      out.push(stack.pop()!.ordered ? '</li></ol>' : '</li></ul>');
    }
    const top = stack[stack.length - 1];
    if (!top || it.indent > top.indent) {
      stack.push({ indent: it.indent, ordered: it.ordered });
      out.push(it.ordered ? '<ol><li>' : '<ul><li>');
    } else {
      out.push('</li><li>');
    }
    out.push(renderInline(it.text));
  }
  while (stack.length) out.push(stack.pop()!.ordered ? '</li></ol>' : '</li></ul>');
  return out.join('');
}

const splitRow = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

export interface RenderedDoc {
  html: string;
  /** The first level-1 heading, for the page title. */
  title: string | null;
}

export function renderMarkdown(source: string): RenderedDoc {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let title: string | null = null;
  let i = 0;
  const isBlockStart = (l: string) => /^(#{1,6}\s|```|>\s?|\s*([-*]|\d+[.)])\s|\|)/.test(l) || /^(-{3,}|\*{3,})\s*$/.test(l);
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      const text = h[2]!;
      if (level === 1 && title === null) title = text.replace(/[`*]/g, '');
      out.push(`<h${level} id="${escapeHtml(slugify(text.replace(/[`*]/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')))}">${renderInline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const lang = line.slice(3).trim();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
      i++;
      out.push(`<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (/^(-{3,}|\*{3,})\s*$/.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (/^>\s?/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i]!)) body.push(lines[i++]!.replace(/^>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(body.join('\n')).html}</blockquote>`);
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1]!)) {
      const head = splitRow(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(splitRow(lines[i++]!));
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${renderInline(c)}</th>`).join('')}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${r.map((c) => `<td>${renderInline(c)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
      continue;
    }
    const li = /^(\s*)([-*]|\d+[.)])\s+(.*)$/;
    if (li.test(line)) {
      const items: ListItem[] = [];
      while (i < lines.length) {
        const m = li.exec(lines[i]!);
        if (m) {
          items.push({ indent: m[1]!.length, ordered: /\d/.test(m[2]!), text: m[3]! });
          i++;
        } else if (lines[i]!.trim() !== '' && /^\s+/.test(lines[i]!) && items.length) {
          items[items.length - 1]!.text += ` ${lines[i]!.trim()}`;
          i++;
        } else break;
      }
      out.push(renderList(items));
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && (para.length === 0 || !isBlockStart(lines[i]!))) para.push(lines[i++]!.trim());
    out.push(`<p>${renderInline(para.join(' '))}</p>`);
  }
  return { html: out.join('\n'), title };
}
