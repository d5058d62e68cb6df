"""Read JavaScript *data* literals (object/array/string/number literals) without executing anything.

Pages built with Nuxt/Vue/React often carry their data in a script: ``window.__NUXT__={...}``,
``window.__INITIAL_STATE__={...}``, or Nuxt 2's minified form
``window.__NUXT__=(function(a,b,c){return {...}}("x",1,null))``. No JavaScript parser is a
dependency of the project, and nothing from a page may run, so this module reads the *data* subset
only: objects (quoted, unquoted or numeric keys, trailing commas), arrays, strings (single, double
or template quotes without substitutions, with JS escapes), numbers, ``true``/``false``/``null``/
``undefined``/``void 0``/``!0``/``!1``, and identifiers bound by the function wrapper's parameters.
Anything else (a function call, an operator expression) becomes ``None`` for that value; input that
cannot be read at all raises ``JSLiteralError``. Work is bounded by the input size and a depth cap.
"""

from __future__ import annotations

import re

MAX_DEPTH = 200
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_PLAIN = {q: re.compile("[^" + q + r"\\\r\n$]+") for q in "\"'`"}   # runs of characters without escapes
_SKIP = object()   # a value we could not read (an expression): becomes None


class JSLiteralError(ValueError):
    pass


class _Reader:
    def __init__(self, text: str, names: dict | None = None):
        self.s, self.i, self.names = text, 0, names or {}

    # -- lexing -----------------------------------------------------------------------------
    def ws(self) -> None:
        s, n = self.s, len(self.s)
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n\u2028\u2029\ufeff":
                self.i += 1
            elif s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                self.i = n if end < 0 else end + 2
            else:
                break

    def peek(self) -> str:
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise JSLiteralError(f"expected {ch!r} at offset {self.i}")
        self.i += 1

    def string(self) -> str:
        quote = self.s[self.i]
        self.i += 1
        out: list[str] = []
        s, n = self.s, len(self.s)
        plain = _PLAIN[quote]
        while self.i < n:
            m = plain.match(s, self.i)
            if m:
                out.append(m.group())
                self.i = m.end()
                continue
            c = s[self.i]
            if c == quote:
                self.i += 1
                return "".join(out)
            if c == "$":   # only reached in template literals
                if s.startswith("${", self.i):
                    raise JSLiteralError("template literal with a substitution")
                out.append(c)
                self.i += 1
                continue
            if c in "\r\n":
                if quote != "`":
                    raise JSLiteralError("unterminated string")
                out.append(c)
                self.i += 1
                continue
            # a backslash escape
            self.i += 1
            e = s[self.i : self.i + 1]
            if e == "u":
                if s[self.i + 1 : self.i + 2] == "{":
                    end = s.find("}", self.i)
                    code = s[self.i + 2 : end] if end > 0 else ""
                    self.i = end + 1 if end > 0 else n
                else:
                    code = s[self.i + 1 : self.i + 5]
                    self.i += 5
                try:
                    out.append(chr(int(code, 16)))
                except ValueError:
                    raise JSLiteralError(f"bad \\u escape at offset {self.i}") from None
                continue
            if e == "x":
                try:
                    out.append(chr(int(s[self.i + 1 : self.i + 3], 16)))
                except ValueError:
                    raise JSLiteralError(f"bad \\x escape at offset {self.i}") from None
                self.i += 3
                continue
            if e in "\r\n":   # line continuation
                self.i += 2 if s.startswith("\r\n", self.i) else 1
                continue
            if not e:
                break
            out.append(_ESCAPES.get(e, e))
            self.i += 1
        raise JSLiteralError("unterminated string")

    # -- values -----------------------------------------------------------------------------
    def value(self, depth: int = 0):
        if depth > MAX_DEPTH:
            raise JSLiteralError("nested too deeply")
        c = self.peek()
        if not c:
            raise JSLiteralError("unexpected end of the data")
        if c == "{":
            v = self.obj(depth)
        elif c == "[":
            v = self.arr(depth)
        elif c in "\"'`":
            v = self.string()
        elif c == "!" and self.s[self.i + 1 : self.i + 2] in ("0", "1"):
            v = self.s[self.i + 1] == "0"
            self.i += 2
        elif c and (c.isdigit() or c in "-.") and (m := _NUMBER.match(self.s, self.i)):
            self.i = m.end()
            text = m.group()
            v = int(text, 16) if text.lower().startswith(("0x", "-0x")) else (
                float(text) if any(ch in text for ch in ".eE") else int(text))
        elif m := _IDENT.match(self.s, self.i):
            self.i = m.end()
            word = m.group()
            if word == "void":
                self.value(depth + 1)
                v = None
            elif word == "new":   # new Date(...), new Map(...): not data we can read
                self.value(depth + 1)
                v = _SKIP
            else:
                v = {"true": True, "false": False, "null": None, "undefined": None}.get(word, _SKIP)
                if v is _SKIP and word in self.names:
                    v = self.names[word]
        else:
            raise JSLiteralError(f"unexpected {c!r} at offset {self.i}")
        return self.rest_of_expression(v, depth)

    def rest_of_expression(self, v, depth: int):
        """Skip what follows a value inside an expression (a call, member access, operator)."""
        while True:
            c = self.peek()
            if c in ("(", "["):
                self.skip_group()
                v = _SKIP
            elif c == "." and not self.s[self.i + 1 : self.i + 2].isdigit():
                self.i += 1
                if not _IDENT.match(self.s, self.i):
                    raise JSLiteralError(f"unexpected '.' at offset {self.i}")
                self.i = _IDENT.match(self.s, self.i).end()
                v = _SKIP
            elif c and c in "+-*/%?:|&<>=" and not self.s.startswith("=>", self.i):
                if c == ":":   # object key separator: the caller handles it
                    return v
                self.i += 1
                self.value(depth + 1)
                v = _SKIP
            else:
                return v

    def skip_group(self) -> None:
        """Skip a balanced (...) / [...] / {...} group, strings included."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack = [pairs[self.s[self.i]]]
        self.i += 1
        while stack:
            if self.i >= len(self.s):
                raise JSLiteralError("unbalanced brackets")
            c = self.s[self.i]
            if c in "\"'`":
                self.string()
                continue
            if c in pairs:
                stack.append(pairs[c])
            elif c == stack[-1]:
                stack.pop()
            self.i += 1

    def key(self) -> str:
        c = self.peek()
        if not c:
            raise JSLiteralError("unexpected end of the data")
        if c in "\"'":
            return self.string()
        if c == "[":   # computed key
            self.skip_group()
            return ""
        m = _IDENT.match(self.s, self.i) or _NUMBER.match(self.s, self.i)
        if not m:
            raise JSLiteralError(f"bad object key at offset {self.i}")
        self.i = m.end()
        return m.group()

    def obj(self, depth: int) -> dict:
        self.expect("{")
        out: dict = {}
        while True:
            if self.peek() == "}":
                self.i += 1
                return out
            if self.s.startswith("...", self.i):
                self.i += 3
                spread = self.value(depth + 1)
                if isinstance(spread, dict):
                    out.update(spread)
            else:
                k = self.key()
                if self.peek() == ":":
                    self.i += 1
                    v = self.value(depth + 1)
                elif self.peek() == "(":   # method shorthand: skip
                    self.skip_group()
                    if self.peek() == "{":
                        self.skip_group()
                    v = _SKIP
                else:   # shorthand {a, b}
                    v = self.names.get(k, _SKIP)
                out[k] = None if v is _SKIP else v
            c = self.peek()
            if c == ",":
                self.i += 1
            elif c != "}":
                raise JSLiteralError(f"expected ',' or '}}' at offset {self.i}")

    def arr(self, depth: int) -> list:
        self.expect("[")
        out: list = []
        while True:
            if self.peek() == "]":
                self.i += 1
                return out
            if self.peek() == ",":   # hole
                self.i += 1
                out.append(None)
                continue
            v = self.value(depth + 1)
            out.append(None if v is _SKIP else v)
            c = self.peek()
            if c == ",":
                self.i += 1
            elif c != "]":
                raise JSLiteralError(f"expected ',' or ']' at offset {self.i}")


def parse_value(text: str, start: int = 0):
    """Read one literal value at ``start``; return (value, end offset)."""
    r = _Reader(text)
    r.i = start
    v = r.value()
    return (None if v is _SKIP else v), r.i


_WRAPPER = re.compile(r"\(?\s*function\s*\(([^)]*)\)\s*\{\s*return\s+", re.S)


def parse_assignment(text: str, start: int = 0):
    """Read the value assigned at ``start``: a literal, or ``(function(a,b){return {...}}(x,y))``.

    For the function form, parameters are bound to the call's arguments (literals only) and the
    returned literal is read with them; nothing is executed.
    """
    m = _WRAPPER.match(text, start)
    if not m:
        return parse_value(text, start)[0]
    params = [p.strip() for p in m.group(1).split(",") if p.strip()]
    r = _Reader(text)
    r.i = m.end()
    # Find the end of the returned literal without names, then the arguments after the body.
    body_start = r.i
    if r.peek() not in "{[":
        raise JSLiteralError("the wrapper does not return an object literal")
    r.skip_group()
    r.ws()
    if r.s[r.i : r.i + 1] == ";":
        r.i += 1
    r.expect("}")
    if r.peek() == ")":   # (function(){...})(args)
        r.i += 1
    args: list = []
    if r.peek() == "(":
        r.i += 1
        while r.peek() != ")":
            v = r.value()
            args.append(None if v is _SKIP else v)
            if r.peek() == ",":
                r.i += 1
            elif r.peek() != ")":
                raise JSLiteralError(f"bad argument list at offset {r.i}")
    names = {p: (args[i] if i < len(args) else None) for i, p in enumerate(params)}
    body = _Reader(text, names)
    body.i = body_start
    v = body.value()
    return None if v is _SKIP else v
