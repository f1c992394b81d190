"""A text-message provider on 127.0.0.1 for the tests: it speaks Aliyun's and Tencent's SendSms
as their documentation describes them, checks each request's signature with the secret it was
given (written here from the documentation, not taken from the SDKs the site uses), and answers
as the real services do: sent, the number's limit reached, a number that cannot receive texts,
or a signature that does not match.

Numbers ending in 0001 hit the limit; 11 digits starting with 100 are not mobile numbers."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

LIMITED_SUFFIX = "0001"


def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def sign(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256)


def authorization(header):
    """'ALGO Credential=…, SignedHeaders=…, Signature=…' → its algorithm and fields."""
    algorithm, _, rest = header.partition(" ")
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    return algorithm, fields


def aliyun_signature(secret, method, path, query, headers, signed):
    encode = lambda text: quote(text, safe="-_.~")  # noqa: E731
    canonical_query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(query))
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical = "\n".join(
        [
            method,
            path,
            canonical_query,
            canonical_headers,
            ";".join(signed),
            headers["x-acs-content-sha256"],
        ]
    )
    return sign(secret.encode(), "ACS3-HMAC-SHA256\n" + sha256(canonical)).hexdigest()


def tencent_signature(secret, headers, body, credential_scope):
    day, service, _ = credential_scope.split("/", 2)
    canonical = (
        f"POST\n/\n\ncontent-type:{headers['content-type']}\nhost:{headers['host']}\n\n"
        f"content-type;host\n{sha256(body)}"
    )
    text = f"TC3-HMAC-SHA256\n{headers['x-tc-timestamp']}\n{credential_scope}\n{sha256(canonical)}"
    key = sign(("TC3" + secret).encode(), day).digest()
    key = sign(key, service).digest()
    key = sign(key, "tc3_request").digest()
    return sign(key, text).hexdigest()


class Provider:
    def __init__(self, key_id, secret):
        self.key_id, self.secret = key_id, secret
        self.sent = []  # (provider, phone, sign name, template id, values) of each text sent
        self.requests = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                provider.requests += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                if "x-tc-action" in headers:
                    status, answer = provider.tencent(headers, body)
                else:
                    status, answer = provider.aliyun(self.command, self.path, headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def aliyun(self, method, target, headers, body):
        algorithm, fields = authorization(headers.get("authorization", ""))
        url = urlsplit(target)
        query = parse_qsl(url.query, keep_blank_values=True)
        signed = fields.get("SignedHeaders", "").split(";")
        expected = aliyun_signature(self.secret, method, url.path, query, headers, signed)
        request_id = {"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
        if (
            algorithm != "ACS3-HMAC-SHA256"
            or fields.get("Credential") != self.key_id
            or headers.get("x-acs-content-sha256") != sha256(body)
            or not hmac.compare_digest(fields.get("Signature", ""), expected)
        ):
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
                **request_id,
            }
        values = dict(query)
        phone = values.get("PhoneNumbers", "")
        if values.get("Action", headers.get("x-acs-action")) != "SendSms":
            return 400, {"Code": "InvalidAction.NotFound", "Message": "?", **request_id}
        if not (len(phone) == 11 and phone.startswith("1") and not phone.startswith("100")):
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", **request_id}
        if phone.endswith(LIMITED_SUFFIX):
            return 200, {
                "Code": "isv.BUSINESS_LIMIT_CONTROL",
                "Message": "触发号码天级流控Permits:10",
                **request_id,
            }
        self.sent.append(
            (
                "aliyun",
                phone,
                values.get("SignName"),
                values.get("TemplateCode"),
                json.loads(values.get("TemplateParam") or "{}"),
            )
        )
        return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", **request_id}

    def tencent(self, headers, body):
        algorithm, fields = authorization(headers.get("authorization", ""))
        key_id, _, scope = fields.get("Credential", "").partition("/")
        expected = tencent_signature(self.secret, headers, body, scope)
        request_id = "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"
        if (
            algorithm != "TC3-HMAC-SHA256"
            or key_id != self.key_id
            or fields.get("SignedHeaders") != "content-type;host"
            or not hmac.compare_digest(fields.get("Signature", ""), expected)
        ):
            error = {
                "Code": "AuthFailure.SignatureFailure",
                "Message": "The provided credentials could not be validated.",
            }
            return 200, {"Response": {"Error": error, "RequestId": request_id}}
        values = json.loads(body)
        [phone] = values["PhoneNumberSet"]
        if not (phone.startswith("+861") and len(phone) == 14 and not phone.startswith("+86100")):
            code, message = "InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"
        elif phone.endswith(LIMITED_SUFFIX):
            code, message = "LimitExceeded.PhoneNumberDailyLimit", "the number's daily limit"
        else:
            code, message = "Ok", "send success"
            self.sent.append(
                (
                    "tencent",
                    phone,
                    values["SignName"],
                    values["TemplateId"],
                    values["TemplateParamSet"],
                )
            )
        status = {
            "SerialNo": "5000:1045710669157053657849499619",
            "PhoneNumber": phone,
            "Fee": 1,
            "SessionContext": "",
            "Code": code,
            "Message": message,
            "IsoCode": "CN",
        }
        return 200, {"Response": {"SendStatusSet": [status], "RequestId": request_id}}
