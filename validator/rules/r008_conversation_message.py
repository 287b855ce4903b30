"""A message of an inline conversation is malformed, or the conversation is too long.

What it checks
    Inline conversations: a ``row_data`` object with ``"type":
    "application/vnd.labelbox.conversational"`` (or any object ``row_data`` of
    a CONVERSATIONAL row), and the legacy top-level ``conversationalData`` list
    (R003). Their ``messages``:

    - at most 250 messages (reported at the 251st);
    - each message an object with ``messageId`` (a non-empty string, unique in
      the conversation), ``content`` (a string of at most 10,000 characters) and
      ``user`` (an object with string ``userId`` and ``name``);
    - no keys other than ``messageId``, ``timestampUsec``, ``content``,
      ``user``, ``align``, ``canLabel`` (common slips get the right name:
      ``text`` -> ``content``, ``id`` -> ``messageId``, ``timestamp`` ->
      ``timestampUsec``...).

    The conversation's own ``type``, ``version`` and ``messages`` being an
    array are R007's.

Why it matters
    The conversational import page: "For conversations, we support up to 250
    messages" and a "10000 character limit per message"; ``messageId`` "must be
    unique within the conversation file"; ``content`` and ``user`` ``{userId,
    name}`` are required. The SDK rejects any other message key
    (``validate_conversational_data`` in ``descriptor_file_creator.py``:
    "Invalid ... key found! Accepted keys in messages list is ...").

Decisions
    The page says both "under 10000 characters" and "10000 character limit":
    10,000 characters pass, 10,001 fail. ``messageId`` must be a string (the
    page's samples all quote it; it is an external id returned on export):
    a number is reported with the hint to quote it. ``timestampUsec``,
    ``align`` and ``canLabel`` values are not checked.

FAIL::

    [{"row_data": {"type": "application/vnd.labelbox.conversational", "version": 1,
                   "messages": [{"messageId": "m1", "text": "hi", "user": {"userId": "u1", "name": "Ann"}}]},
      "media_type": "CONVERSATIONAL"}]

PASS::

    [{"row_data": {"type": "application/vnd.labelbox.conversational", "version": 1,
                   "messages": [{"messageId": "m1", "content": "hi", "user": {"userId": "u1", "name": "Ann"},
                                 "canLabel": true, "align": "left"}]},
      "media_type": "CONVERSATIONAL"}]
"""
from ..model import Problem
from ..schemas import json_type

CODE = "R008"
NAME = "conversation-message"
SEVERITY = "error"

CONVERSATION_TYPE = "application/vnd.labelbox.conversational"
MAX_MESSAGES = 250
MAX_CONTENT = 10_000
KEYS = ("messageId", "timestampUsec", "content", "user", "align", "canLabel")
_KEYS = frozenset(KEYS)
_REQUIRED = ("messageId", "content", "user")
_SUGGEST = {
    "id": "messageId", "messageid": "messageId", "message_id": "messageId", "msgid": "messageId", "msg_id": "messageId",
    "text": "content", "message": "content", "body": "content", "value": "content", "contents": "content",
    "author": "user", "speaker": "user", "sender": "user", "from": "user", "role": "user", "users": "user",
    "timestamp": "timestampUsec", "timestampusec": "timestampUsec", "timestamp_usec": "timestampUsec", "time": "timestampUsec",
    "canlabel": "canLabel", "can_label": "canLabel", "labelable": "canLabel", "alignment": "align",
}
_USER_SUGGEST = {"id": "userId", "userid": "userId", "user_id": "userId", "username": "name", "user_name": "name",
                 "displayname": "name", "display_name": "name"}


def check(row, ctx):
    value = row.value
    data = value.get("row_data")
    if isinstance(data, dict):
        messages = data.get("messages")
        if isinstance(messages, list) and (data.get("type") == CONVERSATION_TYPE or row.media_type == "CONVERSATIONAL"):
            yield from _messages(messages, ("row_data", "messages"))
    legacy = value.get("conversationalData")
    if isinstance(legacy, list):
        yield from _messages(legacy, ("conversationalData",))


def _messages(messages, base):
    if len(messages) > MAX_MESSAGES:
        yield Problem(base + (MAX_MESSAGES,), f"the conversation has {len(messages)} messages; Labelbox supports at most "
                      f"{MAX_MESSAGES} per conversation: split it into several data rows")
    first_id = {}
    for j, message in enumerate(messages):
        here = base + (j,)
        if not isinstance(message, dict):
            yield Problem(here, f"message must be an object {{\"messageId\", \"content\", \"user\"}}, not {json_type(message)}")
            continue
        for key in message:
            if key not in _KEYS:
                yield Problem(here + (key,), _unknown(key, message), on_key=True)
        missing = [k for k in _REQUIRED if k not in message]
        for key in missing:
            if not any(_SUGGEST.get(k.lower()) == key for k in message if k not in _KEYS):
                yield Problem(here, f"message is missing '{key}' ({_ROLE[key]})")
        if "messageId" in message:
            mid = message["messageId"]
            if isinstance(mid, str) and mid.strip():
                if mid in first_id:
                    yield Problem(here + ("messageId",), f"messageId '{_clip(mid)}' is already used by message {first_id[mid]} "
                                  "of this conversation: message ids must be unique within a conversation")
                else:
                    first_id[mid] = j
            elif isinstance(mid, (int, float)) and not isinstance(mid, bool):
                yield Problem(here + ("messageId",), f"messageId must be a string: write it in quotes (\"{mid}\")")
            else:
                yield Problem(here + ("messageId",), f"messageId must be a non-empty string, not {_what(mid)}")
        if "content" in message:
            content = message["content"]
            if not isinstance(content, str):
                yield Problem(here + ("content",), f"content must be the message text as a string, not {json_type(content)}")
            elif len(content) > MAX_CONTENT:
                yield Problem(here + ("content",), f"content is {len(content):,} characters; Labelbox allows at most "
                              f"{MAX_CONTENT:,} per message: split the message or shorten it")
        if "user" in message:
            yield from _user(message["user"], here + ("user",))


_ROLE = {"messageId": "the message's id, unique in the conversation",
         "content": "the message text",
         "user": "who speaks: {\"userId\": ..., \"name\": ...}"}


def _unknown(key, message):
    better = _SUGGEST.get(key.lower())
    if better and better not in message:
        return f"unknown message key '{_clip(key)}': did you mean '{better}'?"
    return f"unknown message key '{_clip(key)}': messages accept only {', '.join(KEYS)}"


def _user(user, path):
    if not isinstance(user, dict):
        yield Problem(path, f"user must be an object {{\"userId\": ..., \"name\": ...}}, not {json_type(user)}")
        return
    for key in ("userId", "name"):
        if key not in user:
            near = next((k for k in user if _USER_SUGGEST.get(k.lower()) == key), None)
            hint = f": rename '{_clip(near)}' to '{key}'" if near else (
                "" if key == "userId" else ": the name the editor shows for this speaker")
            yield Problem(path, f"user is missing '{key}'{hint}")
        elif not isinstance(user[key], str):
            yield Problem(path + (key,), f"user.{key} must be a string, not {json_type(user[key])}")


def _what(value):
    if isinstance(value, str):
        return "an empty string"
    if value is None:
        return "null"
    return json_type(value)


def _clip(text):
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."
