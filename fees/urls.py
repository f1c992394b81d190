from django.urls import path

from fees import views

app_name = "fees"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.bill, name="bill"),
    path("<int:pk>/request.pdf", views.request_pdf, name="request"),
    path("receipts/<int:pk>.pdf", views.receipt_pdf, name="receipt"),
]
