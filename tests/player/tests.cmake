# The video player (fleet_player) against the simulator's media server and
# against bad streams of the test's own making.
fleet_add_test(tst_videostream SOURCES tst_videostream.cpp
    LIBS Fleet::ui Fleet::player Fleet::sim LABELS integration)
fleet_add_test(tst_recordingsaver SOURCES tst_recordingsaver.cpp
    LIBS Fleet::ui Fleet::player Fleet::sim LABELS integration)
