"""The use cases of edgewise's interfaces: what the CLI, the web pages and the API ask of
the store, in one place.

Every function here takes a :class:`~edgewise.store.Store` and, where health data is read
or written on someone's behalf, an :class:`~edgewise.services.actor.Actor`; the audit row
of that read or write is recorded inside the call, so no interface can forget it. The
interfaces (``edgewise.cli``, ``edgewise.web``) turn requests and options into these
calls and their results into pages, JSON or lines of text; they never reach the store's
health records themselves.

Modules (imported on their own: ``import edgewise.services`` loads nothing else):

* :mod:`~edgewise.services.actor`: who asks (user id, address, way in) and the audit row;
* :mod:`~edgewise.services.accounts`: clinician accounts, passwords (argon2), signing in;
* :mod:`~edgewise.services.tokens`: personal access tokens for the API;
* :mod:`~edgewise.services.passwords`: the password rule;
* :mod:`~edgewise.services.throttle`: the failed sign-in brake;
* :mod:`~edgewise.services.config`: the server's configuration (environment, secret);
* :mod:`~edgewise.services.clients`: caseload, client records, sharing, exports' data;
* :mod:`~edgewise.services.sessions`: uploads stored, sessions read, retries;
* :mod:`~edgewise.services.measures`: measure definitions and scored responses;
  :mod:`~edgewise.services.responses`: a response recorded and its alerts run;
* :mod:`~edgewise.services.alerts`, :mod:`~edgewise.services.readiness`: alert rules
  run on a client's record; :mod:`~edgewise.services.risk`: transcript risk flags;
* :mod:`~edgewise.services.stored`: the stored analysis and transcript documents;
* :mod:`~edgewise.services.jobs`: analyse one stored session and save the result;
* :mod:`~edgewise.services.worker`, :mod:`~edgewise.services.fair_queue`: the background
  analysis threads, clinicians taking turns.
"""

from __future__ import annotations
