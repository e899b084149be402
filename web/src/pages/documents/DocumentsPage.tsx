/** «Документы» (issue 18) for the analyst and the administrator: the department's requisites (the letterhead and the
 * numbering patterns), the templates per document kind, the order approving the passports and road maps and the
 * register of issued documents. */
import { useState } from 'react';
import { DOCUMENT_KINDS, DOCUMENT_KIND_LABELS } from '../../../../src/core/documents/register.ts';
import { ApprovalOrderSection } from './ApprovalOrderSection.tsx';
import { RegisterSection } from './RegisterSection.tsx';
import { RequisitesForm } from './RequisitesForm.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';

export function DocumentsPage() {
  const [issued, setIssued] = useState(0);
  return (
    <section aria-labelledby="documents-title">
      <h1 id="documents-title">Документы</h1>
      <RequisitesForm />
      <TemplatesSection />
      <ApprovalOrderSection onIssued={() => setIssued((n) => n + 1)} />
      <RegisterSection key={issued} kinds={DOCUMENT_KINDS.map((k) => ({ kind: k, label: DOCUMENT_KIND_LABELS[k] }))} />
    </section>
  );
}
