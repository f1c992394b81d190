"""Bank collection (银行代扣): the month's direct-debit file for the bank, and the bank's result
file back.

The file for the bank (`export_debits`), CSV in UTF-8 with a byte order mark, one line per bill:

    批次号,账单号,房屋,户名,开户行,账号,金额
    0120261120,202611-01-00189,3栋 1201,王建国,杭州银行西湖支行,6228480012345678,261.02

It lists every issued bill of the estate that still owes something, for the units with a
direct-debit agreement in force; the amount is what the bill asks on the day, late fee included.

The bank's result file (`import_results`), CSV in UTF-8 or GB18030, one line per debit:

    账单号,金额,结果,银行流水号,扣款日期,失败原因
    202611-01-00189,261.02,成功,B20261120000123,2026-11-20,
    202611-01-00190,305.10,失败,,,余额不足

Every line is checked first; one bad line refuses the whole file, naming each bad line. A
collected line becomes a payment with the bank's transaction number as its reference, so a line
seen again (in this file or another) pays once; the same file imported twice is refused the
second time, even when both are sent at once. The lines the bank could not collect are kept
with the import, for the arrears notices.
"""

import csv
import datetime
import hashlib
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from fees.ledger import with_late_fees
from fees.models import BankAccount, BankImport, Bill, Payment
from fees.money import to_fen
from fees.payments import PaymentError, record_payment
from fees.readings import read_sheet
from portal.actions import Refused

EXPORT_COLUMNS = ["批次号", "账单号", "房屋", "户名", "开户行", "账号", "金额"]
RESULT_COLUMNS = {
    "bill": {"账单号"},
    "amount": {"金额", "扣款金额"},
    "result": {"结果", "扣款结果"},
    "reference": {"银行流水号", "流水号"},
    "paid_on": {"扣款日期", "日期"},
    "reason": {"失败原因", "备注"},
}
SUCCESS = {"成功", "success", "s", "0000"}
#: Larger than any bill: what a money column holds.
LARGEST = Decimal(10) ** 10
FAILURE = {"失败", "fail", "failed", "f"}


class BankError(Refused):
    pass


def can_collect(user):
    return user.has_perm("fees.collect_by_bank")


def debits(estate, on=None):
    """(bill with its figures, agreement) for each bill the bank should collect."""
    accounts = {
        account.unit_id: account
        for account in BankAccount.objects.filter(unit__estate=estate, ended_on__isnull=True)
    }
    bills = Bill.objects.issued().owing().filter(unit_id__in=accounts).order_by("number")
    return [(bill, accounts[bill.unit_id]) for bill in with_late_fees(bills, on)]


def export_debits(estate, by):
    """The file for the bank: (file name, bytes)."""
    if not can_collect(by):
        raise PermissionDenied
    today = timezone.localdate()
    batch = f"{estate.pk:02d}{today:%Y%m%d}"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = debits(estate, today)
    for bill, account in rows:
        writer.writerow(
            [
                batch,
                bill.number,
                bill.unit.label,
                account.holder,
                account.bank,
                account.number,
                f"{to_fen(bill.owed + bill.late_fee)}",
            ]
        )
    log(estate, "fees.bank_exported", user=by, data={"batch": batch, "bills": len(rows)})
    return f"direct-debits-{batch}.csv", ("\ufeff" + out.getvalue()).encode()


def _cells(cells, where):
    """A line's cell by column name, blank when the file has no such column or cell."""

    def get(column):
        index = where.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return get


def _read(estate, raw):
    """The file's lines as dicts, or BankError naming every bad line."""
    where, rows = read_sheet(
        raw,
        RESULT_COLUMNS,
        ("bill", "amount", "result"),
        BankError,
        _("The first line must name the columns 账单号, 金额, 结果 and 银行流水号."),
    )
    numbers = {cells[where["bill"]].strip() for cells in rows if len(cells) > where["bill"]}
    bills = {
        b.number: b
        for b in Bill.objects.issued()
        .filter(unit__estate=estate, number__in=numbers)
        .select_related("unit")
    }
    lines, problems, today = [], [], timezone.localdate()
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        get = _cells(cells, where)
        bill = bills.get(get("bill"))
        result = get("result").lower()
        problem = None
        try:
            amount = Decimal(get("amount").replace(",", ""))
            if not amount.is_finite() or abs(amount) >= LARGEST:
                raise InvalidOperation
            amount = to_fen(amount)
        except (InvalidOperation, ValueError):
            amount, problem = None, _("the amount is not a number")
        paid_on = today
        if get("paid_on"):
            try:
                paid_on = datetime.date.fromisoformat(get("paid_on").replace("/", "-"))
            except ValueError:
                problem = _("the date is not like 2026-11-20")
        if bill is None:
            problem = _("no issued bill %s in this estate") % (get("bill") or "—")
        elif result not in SUCCESS | FAILURE:
            problem = _("the result is neither 成功 nor 失败")
        elif result in SUCCESS and not get("reference"):
            problem = _("a collected line needs the bank's transaction number")
        elif amount is not None and amount <= 0:
            problem = _("the amount must be above zero")
        elif paid_on > today:
            problem = _("the date is still to come")
        if problem:
            problems.append(_("Line %(line)s: %(problem)s.") % {"line": number, "problem": problem})
            continue
        lines.append(
            {
                "bill": bill,
                "amount": amount,
                "collected": result in SUCCESS,
                "reference": get("reference"),
                "paid_on": paid_on,
                "reason": get("reason"),
            }
        )
    if problems:
        raise BankError(" ".join(problems[:20]))
    if not lines:
        raise BankError(_("The file has no lines."))
    return lines


def import_results(estate, by, *, upload):
    """Apply the bank's result file once: collected lines become payments, the others are kept
    as failures. Returns the `BankImport`."""
    if not can_collect(by):
        raise PermissionDenied
    raw = upload.read()
    digest = hashlib.sha256(raw).hexdigest()
    if earlier := BankImport.objects.filter(digest=digest).first():
        raise _imported_already(earlier)
    lines = _read(estate, raw)
    try:
        with transaction.atomic():
            batch = BankImport.objects.create(
                estate=estate,
                digest=digest,
                filename=getattr(upload, "name", "")[:200],
                imported_by=by,
            )
            failures = []
            for line in lines:
                bill = line["bill"]
                fact = {
                    "bill": bill.number,
                    "unit": bill.unit.label,
                    "amount": str(line["amount"]),
                    "reason": line["reason"],
                }
                if not line["collected"]:
                    failures.append(fact)
                    continue
                try:
                    with transaction.atomic():
                        record_payment(
                            bill,
                            None,
                            amount=line["amount"],
                            method=Payment.Method.BANK,
                            paid_on=line["paid_on"],
                            reference=line["reference"],
                            note=batch.filename,
                            late_fee_first=False,
                        )
                except PaymentError as error:
                    # The bank took the money but the bill no longer asks it (paid at the desk
                    # meanwhile): listed, for the desk to refund or carry over.
                    failures.append({**fact, "reason": _("collected, not applied: %s") % error})
                    continue
                batch.paid += 1
            batch.failures = failures
            batch.save(update_fields=["paid", "failures"])
            log(
                estate,
                "fees.bank_imported",
                user=by,
                data={"file": batch.filename, "paid": batch.paid, "failed": len(failures)},
            )
    except IntegrityError as error:  # the same file, imported by someone else just now
        earlier = BankImport.objects.filter(digest=digest).first()
        if earlier is None:
            raise
        raise _imported_already(earlier) from error
    return batch


def _imported_already(earlier):
    return BankError(
        _("This file was imported already (%(when)s by %(who)s); nothing changed.")
        % {
            "when": f"{timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M}",
            "who": earlier.imported_by.display_name if earlier.imported_by else "—",
        }
    )
