import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, errorCatalogue, type Problem } from '../../../shared/errors.ts';
import { AppError } from '../errors.ts';

/** One error handler: every failure leaves as `application/problem+json` with a stable code. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  fields?: Problem['fields'],
): FastifyReply {
  const status = errorCatalogue[code].status;
  const body: Problem = {
    type: `https://candor.dev/problems/${code}`,
    title: code.replace(/_/g, ' '),
    status,
    code,
    detail,
    requestId: request.id,
    ...(fields ? { fields } : {}),
  };
  return reply.code(status).type('application/problem+json').send(body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.extra.retryAfterSeconds) reply.header('retry-after', String(error.extra.retryAfterSeconds));
      return sendProblem(reply, request, error.code, error.message, error.extra.fields);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((issue) => ({
        path: [error.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'is invalid',
      }));
      const first = fields[0];
      return sendProblem(
        reply,
        request,
        'validation_failed',
        first ? `Check ${first.path}: ${first.message}` : 'The request is not valid.',
        fields,
      );
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) {
      return sendProblem(
        reply,
        request,
        'payload_too_large',
        'The request is too large. Send less data at once.',
      );
    }
    if (status === 429) {
      reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
      return sendProblem(reply, request, 'rate_limited', 'Too many requests. Wait a minute and try again.');
    }
    if (status >= 400 && status < 500) {
      return sendProblem(
        reply,
        request,
        'bad_request',
        'The request could not be understood. Check its format.',
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      request,
      'internal',
      `Something went wrong on our side. If it keeps happening, report request id ${request.id}.`,
    );
  });
}
