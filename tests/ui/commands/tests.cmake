# ui/commands: the "Send command" dialog and the Commands dock offscreen (real
# mouse and keys), and the whole path in the demo (under Xvfb, with a picture).
fleet_add_test(tst_sendcommanddialog SOURCES tst_sendcommanddialog.cpp LIBS Fleet::ui LABELS unit)
