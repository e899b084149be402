import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown, slugify } from './markdown.ts';

describe('guide markdown', () => {
  it('makes GitHub-style anchors from Russian headings', () => {
    expect(slugify('Шаг 2. Проверить формы (ОО)')).toBe('шаг-2-проверить-формы-оо');
    expect(renderMarkdown('# Руководство\n\n## Вход в систему').html).toBe('<h1 id="руководство">Руководство</h1>\n<h2 id="вход-в-систему">Вход в систему</h2>');
    expect(renderMarkdown('# Руководство администратора').title).toBe('Руководство администратора');
  });

  it('renders links, images, code, bold and escapes HTML', () => {
    expect(renderInline('См. [методику](../methodology.md#шкалы) и ![Вход](img/login.png)')).toBe(
      'См. <a href="../methodology.md#шкалы">методику</a> и <img src="img/login.png" alt="Вход" loading="lazy">',
    );
    expect(renderInline('`npm start` — **быстро** <script>')).toBe('<code>npm start</code> — <strong>быстро</strong> &lt;script&gt;');
    expect(renderInline('[x](javascript:alert(1))')).toBe('<a href="#">x</a>)');
  });

  it('renders nested lists, tables, fenced code and quotes', () => {
    const md = ['1. Первый', '   - вложенный', '2. Второй', '', '| a | b |', '|---|---|', '| 1 | 2 |', '', '```sh', 'npm start', '```', '', '> Важно'].join('\n');
    expect(renderMarkdown(md).html).toBe(
      [
        '<ol><li>Первый<ul><li>вложенный</li></ul></li><li>Второй</li></ol>',
        '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
        '<pre><code class="language-sh">npm start</code></pre>',
        '<blockquote><p>Важно</p></blockquote>',
      ].join('\n'),
    );
  });

  it('joins the lines of a paragraph and stops it at a heading', () => {
    expect(renderMarkdown('первая\nвторая\n## Далее').html).toBe('<p>первая вторая</p>\n<h2 id="далее">Далее</h2>');
  });
});
