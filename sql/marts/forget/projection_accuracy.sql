-- removes every row of projection_accuracy before it is measured again (a city-wide figure per year × month)
DELETE FROM projection_accuracy;
