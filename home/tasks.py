from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_mailing(self, mailing_id):
    """One batch of a publication mailing; queues the next batch until everyone has it."""
    from home.mailing import send_batch

    try:
        left = send_batch(mailing_id)
    except Exception as error:  # delivered members are recorded: a retry sends only the rest
        raise self.retry(exc=error) from error
    if left:
        send_mailing.delay(mailing_id)
    return left
