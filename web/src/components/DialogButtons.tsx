/** The buttons at the foot of a dialog: a form's submit (disabled while busy) with «Отмена», or a lone «Закрыть». */

export function DialogButtons({ busy, onClose, label = 'Сохранить' }: { busy: boolean; onClose(): void; label?: string }) {
  return (
    <div className="actions">
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {label}
      </button>
      <button type="button" className="btn" onClick={onClose}>
        Отмена
      </button>
    </div>
  );
}

export function CloseButton({ onClose }: { onClose(): void }) {
  return (
    <div className="actions">
      <button type="button" className="btn" onClick={onClose}>
        Закрыть
      </button>
    </div>
  );
}
