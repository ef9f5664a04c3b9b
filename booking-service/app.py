from booking_service.main import create_app

app = create_app()
