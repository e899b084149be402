/** «Документы» (issue 18) for the analyst and the administrator: the department's requisites (the letterhead and the
 * numbering patterns), the templates per document kind and the register of issued documents. */
import { DOCUMENT_KINDS, DOCUMENT_KIND_LABELS } from '../../../../src/core/documents/register.ts';
import { RegisterSection } from './RegisterSection.tsx';
import { RequisitesForm } from './RequisitesForm.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';

export function DocumentsPage() {
  return (
    <section aria-labelledby="documents-title">
      <h1 id="documents-title">Документы</h1>
      <RequisitesForm />
      <TemplatesSection />
      <RegisterSection kinds={DOCUMENT_KINDS.map((k) => ({ kind: k, label: DOCUMENT_KIND_LABELS[k] }))} />
    </section>
  );
}
