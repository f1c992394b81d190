"""The text-message providers (portal/sms.py): Aliyun SMS (阿里云短信服务) and Tencent Cloud SMS
(腾讯云短信), each through its maintained SDK, which signs the requests (Aliyun's ACS3-HMAC-SHA256,
Tencent's TC3-HMAC-SHA256). Imported only where SMS_PROVIDER chooses one: a web process that
sends no text never loads the SDKs (pip install 'jindu-portal[sms]').

Each `send` returns the provider's id for the text, or raises TextRefused (never sendable: a
number the provider rejects, a template it does not know) or TextDeferred (its limits for the
number, an answer it could not give now); anything else is a failure the outbox retries."""

import json

from alibabacloud_dysmsapi20170525 import models as aliyun_models
from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from alibabacloud_tea_openapi import models as aliyun_api
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as tencent_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from portal import phones
from portal.sms import TextDeferred, TextRefused


def template_id(template):
    try:
        return settings.SMS_TEMPLATES[template]
    except KeyError:
        raise TextRefused(f"no approved template for {template!r} in SMS_TEMPLATES") from None


def endpoint():
    """The API's host (and port), and whether it is spoken over plain HTTP: only a server on
    this machine (the tests' fake provider) is."""
    address = settings.SMS_ENDPOINT
    local = address.startswith(("127.0.0.1:", "localhost:"))
    return address, "http" if local else "https"


class Provider:
    #: The codes of a provider's answers that say the text will never go, and those that say
    #: not now.
    REFUSED = DEFERRED = ()

    def _judge(self, code, message):
        if code in self.REFUSED:
            raise TextRefused(f"{code}: {message}")
        if code in self.DEFERRED:
            raise TextDeferred(f"{code}: {message}")


class AliyunBackend(Provider):
    """Aliyun's SendSms (API version 2017-05-25)."""

    REFUSED = ("isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL")
    DEFERRED = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling.User")

    def __init__(self):
        if not settings.SMS_ACCESS_KEY_ID or not settings.SMS_ACCESS_KEY_SECRET:
            raise ImproperlyConfigured("SMS_PROVIDER=aliyun needs SMS_ACCESS_KEY_ID and _SECRET")
        address, protocol = endpoint()
        self.client = AliyunClient(
            aliyun_api.Config(
                access_key_id=settings.SMS_ACCESS_KEY_ID,
                access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
                region_id=settings.SMS_REGION,
                endpoint=address or "dysmsapi.aliyuncs.com",
                protocol=protocol,
            )
        )

    def send(self, phone, template, params):
        request = aliyun_models.SendSmsRequest(
            phone_numbers=phones.national(phone),  # Aliyun: mainland numbers without +86
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template_id(template),
            template_param=json.dumps({k: str(v) for k, v in params.items()}),
        )
        timeout = settings.SMS_TIMEOUT * 1000
        runtime = RuntimeOptions(connect_timeout=timeout, read_timeout=timeout, max_attempts=0)
        try:
            answer = self.client.send_sms_with_options(request, runtime).body
        except Exception as error:  # the SDK raises for an HTTP error with the API's code
            self._judge(getattr(error, "code", ""), str(error))
            raise
        if answer.code != "OK":
            self._judge(answer.code, answer.message)
            raise TextDeferred(f"{answer.code}: {answer.message}")
        return answer.biz_id


class TencentBackend(Provider):
    """Tencent Cloud's SendSms (API version 2021-01-11)."""

    REFUSED = (
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
    )
    DEFERRED = (
        "LimitExceeded.PhoneNumberDailyLimit",
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        "LimitExceeded.PhoneNumberOneHourLimit",
        "LimitExceeded.DeliveryFrequencyLimit",
    )

    def __init__(self):
        if not settings.SMS_ACCESS_KEY_ID or not settings.SMS_ACCESS_KEY_SECRET:
            raise ImproperlyConfigured("SMS_PROVIDER=tencent needs SMS_ACCESS_KEY_ID and _SECRET")
        if not settings.SMS_APP_ID:
            raise ImproperlyConfigured("SMS_PROVIDER=tencent needs SMS_APP_ID")
        address, protocol = endpoint()
        http = HttpProfile(
            protocol=protocol,
            endpoint=address or "sms.tencentcloudapi.com",
            reqTimeout=settings.SMS_TIMEOUT,
        )
        self.client = SmsClient(
            credential.Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
            settings.SMS_REGION,
            ClientProfile(httpProfile=http),
        )

    def send(self, phone, template, params):
        request = tencent_models.SendSmsRequest()
        request.PhoneNumberSet = [phone]
        request.SmsSdkAppId = settings.SMS_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template_id(template)
        # Tencent's templates number their values ({1}, {2}…): in the order TEMPLATES names them.
        request.TemplateParamSet = [str(value) for value in params.values()]
        try:
            answer = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            self._judge(error.get_code(), error.get_message())
            raise
        [status] = answer.SendStatusSet
        if status.Code != "Ok":
            self._judge(status.Code, status.Message)
            raise TextDeferred(f"{status.Code}: {status.Message}")
        return status.SerialNo
