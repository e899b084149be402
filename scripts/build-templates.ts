/** Writes the built-in document templates to library/templates/ (issue 18): `npx tsx scripts/build-templates.ts`.
 * One file per template kind (src/core/documents/template-kinds.ts). The orders (seed 001's layout: «П Р И К А З»,
 * date and number, title, preamble, «ПРИКАЗЫВАЮ:», points, signature, appendices «Приложение № N к приказу от … № …»
 * each on a new page) and the letter with addressed recommendations are in order-templates.ts.
 * The information letter on a department letterhead after ГОСТ Р 7.0.97-2016: the requisites block top left (parent
 * body, department, address, phone, e-mail, ОКПО/ОГРН, ИНН/КПП, date and number, «на № … от …»), the addressee top
 * right, the title «О проведении мониторинга …», the body (one paragraph per item of `paragraphs`), the signature block
 * (position left, name right) and the executor at the bottom; Times New Roman 14, A4, margins 30/15/20/20 mm, page
 * numbers at the top from page 2 on.
 * Placeholders are docxtemplater tags (src/core/documents/template-tags.ts lists them); the file is committed, so the
 * server never builds it at run time. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_FILES, type TemplateKind } from '../src/core/documents/template-kinds.ts';
import { orderApproval, orderResults, recommendationsLetter } from './order-templates.ts';
import { AlignmentType, Document, Packer } from 'docx';
import { MM, FONT, letterRequisites, line, signatureAndExecutor, pageProperties, twoColumns } from './template-layout.ts';

function letter(): Document {
  const requisites = letterRequisites();
  const addressee = [line('', { after: 480 }), line('{addressee}')];
  return new Document({
    creator: 'МСОКО',
    title: 'Информационное письмо',
    styles: { default: { document: { run: { font: FONT, size: 28 } } } },
    sections: [{
      ...pageProperties(),
      children: [
        twoColumns(requisites, addressee, Math.round(85 * MM)),
        line('', { after: 240 }),
        line('{title}', { bold: true, after: 240 }),
        line('{#paragraphs}'),
        line('{text}', { align: AlignmentType.JUSTIFIED, indent: true }),
        line('{/paragraphs}'),
        ...signatureAndExecutor(),
      ],
    }],
  });
}

const BUILDERS: Record<TemplateKind, () => Document> = {
  letter,
  order_approval: orderApproval,
  order_results: orderResults,
  recommendations_letter: recommendationsLetter,
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [kind, build] of Object.entries(BUILDERS) as [TemplateKind, () => Document][]) {
    const out = fileURLToPath(new URL(`../library/templates/${BUILT_IN_FILES[kind]}`, import.meta.url));
    await writeFile(out, await Packer.toBuffer(build()));
    process.stdout.write(`записано: ${out}\n`);
  }
}
