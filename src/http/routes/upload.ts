/** The one uploaded file of a multipart request, read the same way by every upload route: 415 when the request is
 * not multipart, 400 when the file is missing or refused by the route's check (made on the name and the fields sent
 * before the file, before the body is read), 413 when the file is over the route's size limit. */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../services/errors.ts';
import { sendError } from '../errors.ts';

export interface Upload {
  name: string;
  content: Buffer;
  /** The multipart field the file came in (`file` unless the route takes another, such as `printed`). */
  field?: string;
  /** Text fields sent before the file, trimmed. */
  fields: Record<string, string>;
}

export interface UploadOptions {
  /** Message when no file is sent (default «Выберите файл»). */
  missing?: string;
  /** Throws a ServiceError to refuse the upload before its body is read. */
  check?: (name: string, fields: Record<string, string>, field: string) => void;
}

function textFields(part: MultipartFile): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, f] of Object.entries(part.fields)) if (f && !Array.isArray(f) && f.type === 'field') fields[k] = String(f.value).trim();
  return fields;
}

/** Reads the file, or sends the error response and returns null (415, 413); other refusals are thrown (400). */
export async function readUpload(req: FastifyRequest, reply: FastifyReply, opts: UploadOptions = {}): Promise<Upload | null> {
  if (!req.isMultipart()) {
    sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файл как multipart/form-data');
    return null;
  }
  const part = await req.file();
  const missing = opts.missing ?? 'Выберите файл';
  if (!part) throw new ServiceError('validation', 'FILE_REQUIRED', missing, [{ path: 'file', message: missing }]);
  try {
    opts.check?.(part.filename, textFields(part), part.fieldname);
  } catch (err) {
    part.file.resume();
    throw err;
  }
  try {
    const content = await part.toBuffer();
    return { name: part.filename, content, fields: textFields(part) };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      sendError(reply, 413, 'FILE_TOO_LARGE', 'Файл больше 10 МБ');
      return null;
    }
    throw err;
  }
}

/** Options for a data file of the methodology engine: CSV or XLSX by name (the readers check the content). */
export const DATA_FILE: UploadOptions = {
  missing: 'Выберите файл CSV или XLSX',
  check: (name) => {
    if (!/\.(csv|xlsx)$/i.test(name)) throw new ServiceError('validation', 'FILE_TYPE', 'Допустимы файлы CSV и XLSX', [{ path: 'file', message: 'Допустимы файлы CSV и XLSX' }]);
  },
};

/** Several files of one multipart request (field `file`, repeated), each checked by name before its body is read;
 * 400 over `maxFiles`, 413 when one is over the route's size limit (the message names it). Text fields are those sent
 * before the first file. */
export async function readUploads(req: FastifyRequest, reply: FastifyReply, opts: UploadOptions & { maxFiles: number }): Promise<{ files: Omit<Upload, 'fields'>[]; fields: Record<string, string> } | null> {
  if (!req.isMultipart()) {
    sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Отправьте файлы как multipart/form-data');
    return null;
  }
  const files: Omit<Upload, 'fields'>[] = [];
  let fields: Record<string, string> | null = null;
  for await (const part of req.files()) {
    fields ??= textFields(part);
    if (files.length >= opts.maxFiles) {
      part.file.resume();
      const message = `Не больше ${opts.maxFiles} файлов за один расчёт`;
      throw new ServiceError('validation', 'TOO_MANY_FILES', message, [{ path: 'file', message }]);
    }
    try {
      opts.check?.(part.filename, fields, part.fieldname);
    } catch (err) {
      part.file.resume();
      throw err;
    }
    try {
      files.push({ name: part.filename, content: await part.toBuffer(), field: part.fieldname });
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        sendError(reply, 413, 'FILE_TOO_LARGE', `Файл «${part.filename}» больше 10 МБ`);
        return null;
      }
      throw err;
    }
  }
  const missing = opts.missing ?? 'Выберите файл';
  if (!files.length) throw new ServiceError('validation', 'FILE_REQUIRED', missing, [{ path: 'file', message: missing }]);
  return { files, fields: fields ?? {} };
}
